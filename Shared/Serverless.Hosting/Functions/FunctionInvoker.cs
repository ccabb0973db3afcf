using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Telemetry;

namespace Serverless.Hosting;

/// <summary>
/// Runs one invocation: a fresh instance of the function's class from DI, parameters bound (trigger value,
/// <see cref="FunctionContext"/>, <see cref="CancellationToken"/>, <see cref="ILogger"/>, binding data by name,
/// services), the host's function timeout, a logging scope, a trace span and metrics.
/// </summary>
public sealed partial class FunctionInvoker(IServiceScopeFactory scopes, ILoggerFactory loggers, IOptions<FunctionsHostOptions> options)
{
    private readonly ILogger _logger = loggers.CreateLogger<FunctionInvoker>();

    /// <returns>The function's return value (awaited), or <c>null</c>.</returns>
    public async Task<object?> InvokeAsync(FunctionDescriptor function, InvocationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(request);
        var invocationId = Guid.NewGuid().ToString();
        var logger = loggers.CreateLogger("Function." + function.Name);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Value.FunctionTimeout is { } limit && limit > TimeSpan.Zero)
        {
            timeout.CancelAfter(limit);
        }

        using var scope = _logger.BeginScope(new Dictionary<string, object>
        {
            ["InvocationId"] = invocationId,
            ["FunctionName"] = function.Name,
            ["CorrelationId"] = request.CorrelationId,
        });
        using var activity = HostTelemetry.ActivitySource.StartActivity("Invoke " + function.Name);
        activity?.SetTag("faas.name", function.Name);
        activity?.SetTag("faas.invocation_id", invocationId);
        activity?.SetTag("correlation.id", request.CorrelationId);
        AsyncServiceScope? ownScope = request.Services is null ? scopes.CreateAsyncScope() : null;
        var services = request.Services ?? ownScope!.Value.ServiceProvider;
        var context = new FunctionContext
        {
            InvocationId = invocationId,
            FunctionName = function.Name,
            CorrelationId = request.CorrelationId,
            Caller = request.Caller,
            Logger = logger,
            InstanceServices = services,
            CancellationToken = timeout.Token,
            BindingData = request.BindingData,
        };

        var started = Stopwatch.GetTimestamp();
        var outcome = "success";
        LogExecuting(_logger, function.Name, invocationId);
        try
        {
            var instance = function.Method.IsStatic ? null : ActivatorUtilities.GetServiceOrCreateInstance(services, function.ClassType);
            var arguments = function.Method.GetParameters().Select(p => Bind(function, p, request, context, services)).ToArray();
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

            var value = await AwaitResultAsync(result, function.Method.ReturnType).ConfigureAwait(false);
            LogExecuted(_logger, function.Name, invocationId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return value;
        }
        catch (Exception e)
        {
            outcome = e is OperationCanceledException ? "cancelled" : "failure";
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            LogFailed(_logger, e, function.Name, invocationId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
        finally
        {
            Record(function.Name, outcome, Stopwatch.GetElapsedTime(started));
            if (ownScope is { } own)
            {
                await own.DisposeAsync().ConfigureAwait(false);
            }
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

    private static object? Bind(FunctionDescriptor function, ParameterInfo parameter, InvocationRequest request, FunctionContext context, IServiceProvider services)
    {
        // By position, not by reference: the runtime fills a method's ParameterInfo cache lazily and without a
        // lock, so concurrent first calls can see two different (equal) instances for the same parameter.
        if (parameter.Position == function.TriggerParameter.Position)
        {
            return request.TriggerValue;
        }

        var type = parameter.ParameterType;
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
            return context.Logger;
        }

        if (type == typeof(CallerIdentity))
        {
            return context.Caller;
        }

        if (parameter.Name is { } name && request.BindingData.TryGetValue(name, out var text))
        {
            return type == typeof(string) ? text : Convert.ChangeType(text, Nullable.GetUnderlyingType(type) ?? type, CultureInfo.InvariantCulture);
        }

        if (services.GetService(type) is { } service)
        {
            return service;
        }

        if (parameter.HasDefaultValue)
        {
            return parameter.DefaultValue;
        }

        throw new InvalidOperationException(
            $"Function '{function.Name}': parameter '{parameter.Name}' of type {type.Name} is neither the trigger, a binding value, nor a registered service.");
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording metrics of '{Function}' failed")]
    private static partial void LogTelemetryFailed(ILogger logger, Exception exception, string function);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Executing '{Function}' (id {InvocationId})")]
    private static partial void LogExecuting(ILogger logger, string function, string invocationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Executed '{Function}' (succeeded, id {InvocationId}, {DurationMs:0} ms)")]
    private static partial void LogExecuted(ILogger logger, string function, string invocationId, double durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Executed '{Function}' (failed, id {InvocationId}, {DurationMs:0} ms)")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function, string invocationId, double durationMs);
}
