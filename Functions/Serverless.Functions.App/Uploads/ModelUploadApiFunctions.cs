using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
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
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/models/{name}/uploads")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (name, rejected) = RouteNames.Read(request, "name", "Model");
        if (rejected is not null)
        {
            return rejected;
        }

        if (!context.GetCaller().CanAccessProject(name))
        {
            return HttpContextFunctionExtensions.Error(StatusCodes.Status403Forbidden, $"The key used may not access project '{name}'.");
        }

        var uploads = new List<UploadView>();
        var query = new OrchestrationQuery { InstanceIdPrefix = ModelUploadIds.PrefixFor(name), FetchInputsAndOutputs = true };
        await foreach (var instance in durable.GetAllInstancesAsync(query).WithCancellation(context.CancellationToken).ConfigureAwait(false))
        {
            uploads.Add(new UploadView(
                instance.InstanceId,
                instance.RuntimeStatus.ToString(),
                instance.CreatedAt,
                instance.LastUpdatedAt,
                instance.FailureDetails?.ErrorMessage,
                Report(instance)));
        }

        return Results.Json(new { model = name, uploads = uploads.OrderByDescending(u => u.CreatedAt).ToList() }, JsonOptions);
    }

    /// <summary>One upload: the orchestration's state and the <see cref="ModelUploadReport"/> (custom status while running, output at the end).</summary>
    public sealed record UploadView(string Id, string RuntimeStatus, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, string? Failure, JsonElement? Report);

    /// <summary>
    /// The report: the output of a finished upload, else the custom status. A failed upload's output is the engine's
    /// failure, not a report, so its last custom status stands.
    /// </summary>
    private static JsonElement? Report(OrchestrationMetadata instance) =>
        Parse(instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed
            ? instance.SerializedCustomStatus
            : instance.SerializedOutput ?? instance.SerializedCustomStatus);

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
