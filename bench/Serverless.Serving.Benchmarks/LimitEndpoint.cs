using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Serverless.Onnx;

namespace Serverless.Serving.Benchmarks;

/// <summary>
/// The stack's own limit: a bare ASP.NET Core minimal API (Kestrel, no middleware, no key check, no log) that reads the
/// same single-row body, runs ONNX Runtime on the same model bytes (one [1,1] float tensor per feature) and writes the
/// output tensors as JSON.
/// </summary>
public sealed class LimitEndpoint : IAsyncDisposable
{
    public const string Description = "Bare ASP.NET Core minimal API + ONNX Runtime, same model and body, no key, no log";
    private readonly WebApplication _app;
    private readonly OnnxModel _model;

    private LimitEndpoint(WebApplication app, OnnxModel model, Uri baseAddress)
    {
        _app = app;
        _model = model;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<LimitEndpoint> StartAsync(byte[] onnx, IReadOnlyList<string> features)
    {
        var model = OnnxModel.Load(onnx);
        var port = GunicornPeer.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/predict", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            var row = body.RootElement.GetProperty("instances")[0];
            var inputs = new NamedTensor[features.Count];
            for (var i = 0; i < inputs.Length; i++)
            {
                inputs[i] = new NamedTensor(features[i], [1, 1], new[] { (float)row.GetProperty(features[i]).GetDouble() });
            }

            var outputs = model.Run(inputs);
            context.Response.ContentType = "application/json";
            await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
            json.WriteStartObject();
            foreach (var output in outputs)
            {
                if (output.Data is float[] values)
                {
                    json.WriteStartArray(output.Name);
                    foreach (var value in values)
                    {
                        json.WriteNumberValue(value);
                    }

                    json.WriteEndArray();
                }
            }

            json.WriteEndObject();
        });
        await app.StartAsync();
        return new LimitEndpoint(app, model, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _model.Dispose();
    }
}
