using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Serverless.Testing;

/// <summary>
/// A real webhook receiver: Kestrel on a free loopback port. <c>POST /hooks/{name}</c> records the request (raw body,
/// headers, the status it was answered with) and answers with the next reply scripted for that name: per name
/// (<see cref="Script(string, int[])"/>), or per distinct value of a header such as the event id
/// (<see cref="ScriptPerKey"/>); the last reply repeats, 200 when nothing is scripted. Tests verify signatures on
/// <see cref="Received"/> themselves.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ReplyScript> _scripts = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Every request, in arrival order.</summary>
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
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    /// <summary>The URL of the hook called <paramref name="name"/>.</summary>
    public Uri Url(string name) => new(BaseAddress, $"/hooks/{name}");

    /// <summary>Answers the hook's requests with these statuses in turn (the last repeats).</summary>
    public void Script(string name, params int[] statuses) => Script(name, statuses.Select(s => new WebhookReply(s)).ToArray());

    /// <summary>Answers the hook's requests with these replies in turn (the last repeats).</summary>
    public void Script(string name, params WebhookReply[] replies) => _scripts[name] = new ReplyScript(null, replies);

    /// <summary>Answers each distinct value of header <paramref name="keyHeader"/> with these statuses in turn (the last repeats).</summary>
    public void ScriptPerKey(string name, string keyHeader, params int[] statuses) =>
        _scripts[name] = new ReplyScript(keyHeader, statuses.Select(s => new WebhookReply(s)).ToArray());

    /// <summary>The requests the hook called <paramref name="name"/> received.</summary>
    public ReceivedWebhook[] For(string name) => Received.Where(r => r.Name == name).ToArray();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<IResult> HandleAsync(string name, HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var reply = _scripts.TryGetValue(name, out var script) ? script.Next(headers) : new WebhookReply(200);
        Received.Enqueue(new ReceivedWebhook(name, buffer.ToArray(), headers, request.ContentType, reply.Status, DateTimeOffset.UtcNow));
        if (reply.RetryAfter is not null)
        {
            request.HttpContext.Response.Headers.RetryAfter = reply.RetryAfter;
        }

        return Results.StatusCode(reply.Status);
    }

    private sealed class ReplyScript(string? keyHeader, WebhookReply[] replies)
    {
        private readonly ConcurrentDictionary<string, int> _served = new(StringComparer.Ordinal);

        public WebhookReply Next(IReadOnlyDictionary<string, string> headers)
        {
            if (replies.Length == 0)
            {
                return new WebhookReply(200);
            }

            var key = keyHeader is null ? string.Empty : headers.GetValueOrDefault(keyHeader, string.Empty);
            var index = _served.AddOrUpdate(key, 0, (_, n) => n + 1);
            return replies[Math.Min(index, replies.Length - 1)];
        }
    }
}

/// <summary>A scripted answer: the status and, optionally, a <c>Retry-After</c> header value.</summary>
public sealed record WebhookReply(int Status, string? RetryAfter = null);

/// <summary>One request a <see cref="WebhookReceiver"/> hook received, and the status it answered.</summary>
public sealed record ReceivedWebhook(string Name, byte[] Body, IReadOnlyDictionary<string, string> Headers, string? ContentType, int Status, DateTimeOffset At)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    /// <summary>Whether the hook answered with a 2xx status.</summary>
    public bool Accepted => Status is >= 200 and < 300;
}
