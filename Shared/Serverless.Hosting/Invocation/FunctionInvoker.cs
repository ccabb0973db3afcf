using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Middleware;
using Serverless.Hosting.Telemetry;

namespace Serverless.Hosting.Invocation;

/// <summary>
/// Runs one invocation as the isolated worker does: a <see cref="LocalFunctionContext"/>, the product's worker
/// middleware (<see cref="ProductWorkerMiddleware"/>) around the function, a fresh instance of the function's class
/// from the invocation's services, and parameters bound the worker's way (trigger value, <see cref="FunctionContext"/>,
/// <see cref="CancellationToken"/>, <c>[DurableClient]</c>, binding data by name); the host's function timeout, a
/// trace span and metrics.
/// </summary>
public sealed partial class FunctionInvoker
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<FunctionsHostOptions> _options;
    private readonly ILogger _logger;
    private readonly FunctionExecutionDelegate _pipeline;

    public FunctionInvoker(IServiceProvider services, IServiceScopeFactory scopes, ILoggerFactory loggers, IOptions<FunctionsHostOptions> options)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _scopes = scopes;
        _options = options;
        _logger = loggers.CreateLogger<FunctionInvoker>();
        FunctionExecutionDelegate pipeline = ExecuteAsync;
        foreach (var type in ProductWorkerMiddleware.InOrder.Reverse())
        {
            var middleware = (IFunctionsWorkerMiddleware)ActivatorUtilities.CreateInstance(services, type);
            var next = pipeline;
            pipeline = context => middleware.Invoke(context, next);
        }

        _pipeline = pipeline;
    }

    /// <returns>The function's return value (awaited), or <c>null</c>.</returns>
    public async Task<object?> InvokeAsync(FunctionDescriptor function, InvocationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.Value.FunctionTimeout is { } limit && limit > TimeSpan.Zero)
        {
            timeout.CancelAfter(limit);
        }

        await using var ownScope = request.Services is null ? _scopes.CreateAsyncScope() : (AsyncServiceScope?)null;
        var services = request.Services ?? ownScope!.Value.ServiceProvider;
        var context = new LocalFunctionContext(function, request.BindingData, services, timeout.Token);
        context.Items[typeof(Invocation)] = new Invocation(function, request);
        if (request.Http is { } http)
        {
            context.Items[LocalFunctionContext.HttpContextKey] = http;
        }

        if (request.CorrelationId is { } correlation)
        {
            context.SetCorrelationId(correlation);
        }

        using var activity = HostTelemetry.ActivitySource.StartActivity(function.ActivityName);
        if (activity is not null)
        {
            activity.SetTag("faas.name", function.Name);
            activity.SetTag("faas.trigger", function.TriggerType);
            activity.SetTag("faas.invocation_id", context.InvocationId);
        }

        var started = Stopwatch.GetTimestamp();
        var outcome = "success";
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            LogExecuting(_logger, function.Name, context.InvocationId); // the id is made only when something reads it
        }

        try
        {
            await _pipeline(context).ConfigureAwait(false);
            if (_logger.IsEnabled(LogLevel.Information))
            {
                LogExecuted(_logger, function.Name, context.InvocationId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return context.Result;
        }
        catch (Exception e)
        {
            outcome = e is OperationCanceledException ? "cancelled" : "failure";
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            LogFailed(_logger, e, function.Name, context.InvocationId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
        finally
        {
            Record(function.Name, outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>The end of the middleware pipeline: binds and calls the function's method.</summary>
    private static async Task ExecuteAsync(FunctionContext functionContext)
    {
        var context = (LocalFunctionContext)functionContext;
        var (function, request) = (Invocation)context.Items[typeof(Invocation)];
        var services = context.InstanceServices;
        var disposables = new Disposables();
        try
        {
            var instance = function.Method.IsStatic ? null : ActivatorUtilities.GetServiceOrCreateInstance(services, function.ClassType);
            var parameters = function.Parameters;
            var arguments = parameters.Length == 0 ? [] : new object?[parameters.Length];
            foreach (var parameter in parameters)
            {
                arguments[parameter.Position] = await BindAsync(function, parameter, request, context, disposables).ConfigureAwait(false);
            }

            object? result;
            try
            {
                result = function.Method.Invoke(instance, arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }

            context.Result = await AwaitResultAsync(result, function.Method.ReturnType).ConfigureAwait(false);
        }
        finally
        {
            await disposables.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async ValueTask<object?> BindAsync(FunctionDescriptor function, ParameterInfo parameter, InvocationRequest request, LocalFunctionContext context, Disposables disposables)
    {
        var type = parameter.ParameterType;
        // By position, not by reference: the runtime fills a method's ParameterInfo cache lazily and without a
        // lock, so concurrent first calls can see two different (equal) instances for the same parameter.
        if (parameter.Position == function.TriggerParameter.Position)
        {
            return await BindTriggerAsync(function, type, request, context, disposables).ConfigureAwait(false);
        }

        if (type == typeof(FunctionContext))
        {
            return context;
        }

        if (type == typeof(CancellationToken))
        {
            return context.CancellationToken;
        }

        if (type == typeof(ILogger))
        {
            return context.InstanceServices.GetRequiredService<ILoggerFactory>().CreateLogger("Function." + function.Name);
        }

        if (parameter.GetCustomAttribute<DurableClientAttribute>() is not null)
        {
            return context.InstanceServices.GetRequiredService<DurableTaskClient>();
        }

        if (parameter.Name is { } name && request.BindingData.TryGetValue(name, out var value) && value is not null)
        {
            return type.IsInstanceOfType(value)
                ? value
                : Convert.ChangeType(Convert.ToString(value, CultureInfo.InvariantCulture), Nullable.GetUnderlyingType(type) ?? type, CultureInfo.InvariantCulture);
        }

        if (parameter.HasDefaultValue)
        {
            return parameter.DefaultValue;
        }

        throw new InvalidOperationException(
            $"Function '{function.Name}': parameter '{parameter.Name}' of type {type.Name} is neither the trigger, a binding, nor a binding data value.");
    }

    private static async ValueTask<object?> BindTriggerAsync(FunctionDescriptor function, Type type, InvocationRequest request, LocalFunctionContext context, Disposables disposables)
    {
        switch (request.TriggerValue)
        {
            case HttpRequest httpRequest:
                return type == typeof(HttpContext) ? httpRequest.HttpContext : httpRequest;
            case BlobTriggerValue blob:
                if (type == typeof(Storage.BlobItem))
                {
                    return blob.Blob;
                }

                var stream = await blob.Store.OpenReadAsync(blob.Blob.Container, blob.Blob.Name, context.CancellationToken).ConfigureAwait(false);
                if (type == typeof(Stream))
                {
                    disposables.Add(stream);
                    return stream;
                }

                await using (stream.ConfigureAwait(false))
                {
                    var data = await BinaryData.FromStreamAsync(stream, context.CancellationToken).ConfigureAwait(false);
                    return type == typeof(string) ? data.ToString()
                        : type == typeof(byte[]) ? data.ToArray()
                        : type == typeof(BinaryData) ? data
                        : throw new InvalidOperationException($"Function '{function.Name}': a blob trigger binds to Stream, string, byte[] or BinaryData, not {type.Name}.");
                }

            default:
                return request.TriggerValue;
        }
    }

    /// <summary>Records metrics; telemetry never fails an invocation.</summary>
    private void Record(string function, string outcome, TimeSpan duration)
    {
        try
        {
            var tags = new TagList { { "function", function }, { "outcome", outcome } };
            HostTelemetry.Invocations.Add(1, tags);
            HostTelemetry.InvocationDuration.Record(duration.TotalMilliseconds, tags);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogTelemetryFailed(_logger, e, function);
        }
    }

    private static async Task<object?> AwaitResultAsync(object? result, Type declared)
    {
        if (result is null)
        {
            return null;
        }

        if (declared.IsGenericType && declared.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            result = declared.GetMethod(nameof(ValueTask<object>.AsTask))!.Invoke(result, null)!;
            declared = typeof(Task<>).MakeGenericType(declared.GetGenericArguments());
        }

        switch (result)
        {
            case Task task:
                await task.ConfigureAwait(false);
                return declared.IsGenericType && declared.GetGenericTypeDefinition() == typeof(Task<>)
                    ? declared.GetProperty(nameof(Task<object>.Result))!.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                return null;
            default:
                return result;
        }
    }

    private sealed record Invocation(FunctionDescriptor Function, InvocationRequest Request);

    /// <summary>What an invocation's bindings opened (a blob stream), disposed after it; no list unless one was opened.</summary>
    private sealed class Disposables : IAsyncDisposable
    {
        private List<IAsyncDisposable>? _items;

        public void Add(IAsyncDisposable item) => (_items ??= []).Add(item);

        public async ValueTask DisposeAsync()
        {
            foreach (var item in _items ?? [])
            {
                await item.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "Recording metrics of '{Function}' failed")]
    private static partial void LogTelemetryFailed(ILogger logger, Exception exception, string function);

    [LoggerMessage(EventId = 1312, Level = LogLevel.Debug, Message = "Executing '{Function}' (id {InvocationId})")]
    private static partial void LogExecuting(ILogger logger, string function, string invocationId);

    [LoggerMessage(EventId = 1313, Level = LogLevel.Information, Message = "Executed '{Function}' (succeeded, id {InvocationId}, {DurationMs:0} ms)")]
    private static partial void LogExecuted(ILogger logger, string function, string invocationId, double durationMs);

    [LoggerMessage(EventId = 1314, Level = LogLevel.Warning, Message = "Executed '{Function}' (failed, id {InvocationId}, {DurationMs:0} ms)")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function, string invocationId, double durationMs);
}
