using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Hosting;
using Serverless.Hosting.Invocation;
using Serverless.Storage;
using Xunit;

namespace Serverless.Functions.Uploads.Tests;

/// <summary>Issue 14 item 4 on the upload trigger: identical ONNX content is handled once, also after its pipeline finished or its instance was purged.</summary>
public sealed partial class ModelUploadHostTests
{
    [Fact]
    public async Task Identical_content_is_not_run_again_once_its_upload_completed_nor_after_its_instance_was_purged()
    {
        var admin = host.CreateClient();
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var durable = host.Services.GetRequiredService<DurableTaskClient>();
        var uploads = host.Host.Options.ModelUploadsContainer;
        await blobs.CreateContainerIfNotExistsAsync(uploads);
        await blobs.UploadBytesAsync(uploads, "byoagain/m.onnx", UploadFixtures.TensorClassifier);
        var report = await WaitForUploadAsync(admin, "byoagain");
        Assert.Equal("Promoted", report.GetProperty("status").GetString());
        var id = report.GetProperty("uploadId").GetString()!;
        var first = (await durable.GetInstanceAsync(id))!;
        var log = new ListLogger();
        var trigger = ActivatorUtilities.CreateInstance<ModelUploadFunctions>(host.Services, log);
        var blob = (await blobs.GetPropertiesAsync(uploads, "byoagain/m.onnx"))!;

        // The same bytes arrive again (a re-upload, or the blob event redelivered): the completed upload is not restarted.
        await trigger.RunAsync(await blobs.OpenReadAsync(blob.Container, blob.Name), $"{blob.Container}/{blob.Name}", Invocation());
        Assert.Equal(first.CreatedAt, (await durable.GetInstanceAsync(id))!.CreatedAt);
        Assert.Contains(log.Messages, m => m.Contains($"the same content was upload {id}, which has completed; not started again", StringComparison.Ordinal));

        // After housekeeping purged the instance, the registry still knows the content: no new run either.
        await durable.PurgeInstanceAsync(id);
        await trigger.RunAsync(await blobs.OpenReadAsync(blob.Container, blob.Name), $"{blob.Container}/{blob.Name}", Invocation());
        Assert.Null(await durable.GetInstanceAsync(id));
        Assert.Contains(log.Messages, m => m.Contains($"the same content is registered already (upload {id}, model byoagain version 1)", StringComparison.Ordinal));
        var model = await admin.GetFromJsonAsync<JsonElement>("api/models/byoagain");
        Assert.Equal(1, model.GetProperty("latestVersion").GetInt32());
    }

    private LocalFunctionContext Invocation() => new(
        FunctionCatalog.Discover([typeof(ModelUploadFunctions)], configuration: null).Single(),
        new Dictionary<string, object?>(),
        host.Services,
        CancellationToken.None);

    private static readonly ILogger NullLoggerInstance = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    private sealed class ListLogger : ILogger<ModelUploadFunctions>
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));
    }
}
