using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Monitoring.Webhooks;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>
/// A real HTTP receiver on loopback (Kestrel): verifies each delivery's signature, answers the first attempt of every
/// event with 503 (so the sender must retry), and keeps the verified events.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app) => _app = app;

    public const string Secret = "test-webhook-secret";

    public Uri Url { get; private set; } = null!;

    /// <summary>Verified deliveries: event type, id, raw body.</summary>
    public ConcurrentQueue<(string Type, string Id, string Body)> Received { get; } = new();

    public int BadSignatures { get; private set; }

    /// <summary>Attempts per event id.</summary>
    public IReadOnlyDictionary<string, int> Attempts => _attempts;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var headers = request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString()));
            if (!WebhookSignature.Verify(Secret, body, headers))
            {
                receiver.BadSignatures++;
                return Results.Unauthorized();
            }

            var id = request.Headers[WebhookSignature.EventIdHeader].ToString();
            var attempt = receiver._attempts.AddOrUpdate(id, 1, (_, n) => n + 1);
            if (attempt == 1)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            receiver.Received.Enqueue((request.Headers[WebhookSignature.EventTypeHeader].ToString(), id, System.Text.Encoding.UTF8.GetString(body)));
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address + "/hook");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
