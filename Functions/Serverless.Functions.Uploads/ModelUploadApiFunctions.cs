using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Serverless.Durable;
using Serverless.Hosting;
using Serverless.Hosting.Http;
using Serverless.Orchestrations.ModelUploads;
using Serverless.Storage;

namespace Serverless.Functions.Uploads;

/// <summary>
/// <c>GET /api/models/{name}/uploads</c>: every upload of the model, newest first, with its status
/// (<see cref="ModelUploadStatuses"/>), the reason of a rejection, the evaluation and gates, and the version it registered.
/// </summary>
public sealed class ModelUploadApiFunctions(DurableTaskClient durable)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    [Function("ListModelUploads")]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{name}/uploads")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (name, rejected) = RouteNames.Read(request, "name", "Model");
        if (rejected is not null)
        {
            return rejected;
        }

        if (!context.Caller.CanAccessProject(name))
        {
            return HttpContextFunctionExtensions.Error(StatusCodes.Status403Forbidden, $"The key used may not access project '{name}'.");
        }

        var uploads = new List<UploadView>();
        var query = new OrchestrationQuery { InstanceIdPrefix = ModelUploadIds.PrefixFor(name), FetchInputsAndOutputs = true };
        await foreach (var instance in durable.GetAllInstancesAsync(query, context.CancellationToken).ConfigureAwait(false))
        {
            uploads.Add(new UploadView(
                instance.InstanceId,
                instance.RuntimeStatus.ToString(),
                instance.CreatedAt,
                instance.LastUpdatedAt,
                instance.FailureDetails?.ErrorMessage,
                Parse(instance.SerializedOutput ?? instance.SerializedCustomStatus)));
        }

        return Results.Json(new { model = name, uploads = uploads.OrderByDescending(u => u.CreatedAt).ToList() }, JsonOptions);
    }

    /// <summary>One upload: the orchestration's state and the <see cref="ModelUploadReport"/> (custom status while running, output at the end).</summary>
    public sealed record UploadView(string Id, string RuntimeStatus, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, string? Failure, JsonElement? Report);

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
