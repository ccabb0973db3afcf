using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Serverless.Monitoring.Tests.Webhooks;

/// <summary>
/// A real Kestrel receiver on a free loopback port. <c>POST /hooks/{name}</c> records the request and answers with
/// the next status scripted for that name (the last one repeats; 200 when nothing is scripted).
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _lastStatus = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/{name}", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    public Uri Url(string name) => new(BaseAddress, $"/hooks/{name}");

    public void Script(string name, params int[] statuses) => _scripts[name] = new ConcurrentQueue<int>(statuses);

    public ReceivedWebhook[] For(string name) => Received.Where(r => r.Name == name).ToArray();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(string name, HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Received.Enqueue(new ReceivedWebhook(name, buffer.ToArray(), headers, request.ContentType));

        var status = 200;
        if (_scripts.TryGetValue(name, out var script))
        {
            status = script.TryDequeue(out var next) ? next : _lastStatus.GetValueOrDefault(name, 200);
            _lastStatus[name] = status;
        }

        return Results.StatusCode(status);
    }
}

internal sealed record ReceivedWebhook(string Name, byte[] Body, IReadOnlyDictionary<string, string> Headers, string? ContentType);
