using System.Collections.Immutable;
using System.Diagnostics;

namespace Serverless.Hosting.Invocation;

/// <summary>
/// The worker SDK's <see cref="FunctionContext"/> for one invocation on the local host: ids, binding data, the
/// function's definition, invocation services and cancellation. HTTP invocations carry the request's
/// <c>HttpContext</c> under the key the ASP.NET Core integration uses, so <c>GetHttpContext()</c> works.
/// </summary>
public sealed class LocalFunctionContext : FunctionContext
{
    /// <summary>The key under which the ASP.NET Core integration keeps the request's <c>HttpContext</c>.</summary>
    public const string HttpContextKey = "HttpRequestContext";

    private readonly IReadOnlyDictionary<string, object?> _bindingData;
    private readonly Activity? _activity;
    private string? _invocationId;
    private TraceContext? _traceContext;
    private BindingContext? _bindingContext;
    private IInvocationFeatures? _features;

    public LocalFunctionContext(FunctionDescriptor function, IReadOnlyDictionary<string, object?> bindingData, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        FunctionDefinition = LocalFunctionDefinition.For(function);
        _bindingData = bindingData;
        InstanceServices = services;
        CancellationToken = cancellationToken;
        _activity = Activity.Current;
    }

    // Made when first read: most HTTP invocations never read their invocation id, trace context, binding context or features.
    public override string InvocationId => _invocationId ?? Interlocked.CompareExchange(ref _invocationId, Guid.NewGuid().ToString(), null) ?? _invocationId;

    public override string FunctionId => FunctionDefinition.Id;

    public override TraceContext TraceContext => _traceContext ??= new LocalTraceContext(_activity);

    public override BindingContext BindingContext => _bindingContext ??= new LocalBindingContext(_bindingData);

    public override RetryContext RetryContext => LocalRetryContext.None;

    public override IServiceProvider InstanceServices { get; set; }

    public override FunctionDefinition FunctionDefinition { get; }

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => _features ?? Interlocked.CompareExchange(ref _features, new LocalInvocationFeatures(), null) ?? _features;

    public override CancellationToken CancellationToken { get; }

    /// <summary>What the function returned (awaited), once it ran.</summary>
    public object? Result { get; internal set; }

    private sealed class LocalBindingContext(IReadOnlyDictionary<string, object?> data) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData { get; } = data;
    }

    private sealed class LocalRetryContext : RetryContext
    {
        public static readonly LocalRetryContext None = new();

        public override int RetryCount => 0;

        public override int MaxRetryCount => 0;
    }

    private sealed class LocalTraceContext(Activity? activity) : TraceContext
    {
        public override string TraceParent { get; } = activity?.Id ?? string.Empty;

        public override string TraceState { get; } = activity?.TraceStateString ?? string.Empty;

        public override IReadOnlyDictionary<string, string> Attributes { get; } = ImmutableDictionary<string, string>.Empty;
    }
}
