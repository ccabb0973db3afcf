using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Monitoring.Webhooks;
using Serverless.Testing;

namespace Serverless.Monitoring.Tests.Webhooks;

/// <summary>
/// Webhooks cannot be aimed inward: outside Development a host resolving to a non-public address is refused when a
/// subscription is registered and again when a delivery connects (real DNS for <c>localhost</c>, real HTTP on loopback);
/// <c>Product:Webhooks:AllowPrivateNetworks</c> allows it. Deliveries follow no redirects and read no response body.
/// </summary>
public sealed class WebhookDestinationTests : WebhookReceiverTest
{
    private const string Secret = "destination-test-secret";

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("10.0.0.5", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("100.64.0.1", "shared (carrier-grade NAT)")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fc00::1", "unique-local")]
    [InlineData("fd12:3456::1", "unique-local")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("::ffff:10.1.2.3", "private")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local")]
    [InlineData("ff02::1", "multicast")]
    public void Non_public_addresses_are_named(string address, string kind) =>
        Assert.Equal(kind, WebhookAddresses.DescribeNonPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_pass(string address) =>
        Assert.Null(WebhookAddresses.DescribeNonPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data", "169.254.169.254", "link-local")]
    [InlineData("http://127.0.0.1:8080/hook", "127.0.0.1", "loopback")]
    [InlineData("http://[::1]/hook", "::1", "loopback")]
    [InlineData("https://10.20.30.40/hook", "10.20.30.40", "private")]
    [InlineData("http://localhost:7071/api/health", "localhost", "loopback")]
    [InlineData("http://[::ffff:127.0.0.1]/hook", "::ffff:127.0.0.1", "loopback")]
    [InlineData("http://[fd00::1]/hook", "fd00::1", "unique-local")]
    public async Task Registration_refuses_non_public_hosts_outside_development_unless_allowed(string url, string host, string kind)
    {
        var error = await Assert.ThrowsAsync<WebhookDestinationException>(() => Policy(Environments.Production).EnsureAllowedAsync(new Uri(url), CancellationToken.None));
        Assert.Contains($"'{host}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(kind, error.Message, StringComparison.Ordinal);
        Assert.Contains("Product:Webhooks:AllowPrivateNetworks", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ArgumentException>(error); // answered 400 by POST /api/webhooks

        await Policy(Environments.Production, allowPrivate: true).EnsureAllowedAsync(new Uri(url), CancellationToken.None);
        await Policy(Environments.Development).EnsureAllowedAsync(new Uri(url), CancellationToken.None);
    }

    [Fact]
    public async Task Registration_accepts_a_public_address()
    {
        await Policy(Environments.Production).EnsureAllowedAsync(new Uri("https://8.8.8.8/hook"), CancellationToken.None);
        Assert.True(Policy(Environments.Production).Restricted);
        Assert.True(Policy(null).Restricted); // no environment known: restricted
    }

    [Fact]
    public async Task Delivery_resolves_and_refuses_a_loopback_host_once_without_retrying_or_logging_the_url()
    {
        var logs = new CapturedLogs();
        using var services = Services(Environments.Production, allowPrivate: false, logs);
        var url = new Uri($"http://localhost:{Receiver.BaseAddress.Port}/hooks/inward?token=do-not-log");

        var delivery = await services.GetRequiredService<WebhookSender>().SendAsync(Subscription(url), Event(), CancellationToken.None);

        Assert.False(delivery.Delivered);
        Assert.Equal(1, delivery.Attempts);
        Assert.Null(delivery.StatusCode);
        Assert.StartsWith("destination refused", delivery.Error, StringComparison.Ordinal);
        Assert.Empty(Receiver.Received);
        Assert.NotEmpty(logs.Messages);
        Assert.All(logs.Messages, m => Assert.DoesNotContain("localhost", m, StringComparison.OrdinalIgnoreCase));
        Assert.All(logs.Messages, m => Assert.DoesNotContain("do-not-log", m, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delivery_to_loopback_works_with_the_setting_and_logs_no_url()
    {
        var logs = new CapturedLogs();
        using var services = Services(Environments.Production, allowPrivate: true, logs);
        var url = new Uri($"http://localhost:{Receiver.BaseAddress.Port}/hooks/allowed?token=do-not-log");

        var delivery = await services.GetRequiredService<WebhookSender>().SendAsync(Subscription(url), Event(), CancellationToken.None);

        Assert.True(delivery.Delivered, delivery.Error);
        Assert.Single(Receiver.For("allowed"));
        Assert.NotEmpty(logs.Messages);
        Assert.All(logs.Messages, m => Assert.DoesNotContain("localhost", m, StringComparison.OrdinalIgnoreCase));
        Assert.All(logs.Messages, m => Assert.DoesNotContain("do-not-log", m, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Redirects_are_not_followed_and_response_bodies_are_not_read()
    {
        await using var server = await TrickServer.StartAsync();
        using var services = Services(Environments.Production, allowPrivate: true, new CapturedLogs());
        var sender = services.GetRequiredService<WebhookSender>();

        var redirected = await sender.SendAsync(Subscription(new Uri(server.Address, "/redirect")), Event(), CancellationToken.None);
        Assert.False(redirected.Delivered);
        Assert.Equal(307, redirected.StatusCode);
        Assert.Equal(0, server.TargetHits);

        var huge = await sender.SendAsync(Subscription(new Uri(server.Address, "/huge")), Event(), CancellationToken.None);
        Assert.True(huge.Delivered, huge.Error);
        var written = await server.HugeBytesWrittenAsync();
        Assert.True(written < TrickServer.HugeLength / 8, $"the receiver got {written / 1e6:F1} MB of its {TrickServer.HugeLength / 1e6:F0} MB answer taken");
    }

    private static WebhookDestinationPolicy Policy(string? environment, bool allowPrivate = false) => new(
        Options.Create(new WebhookNetworkOptions { AllowPrivateNetworks = allowPrivate }),
        environment is null ? null : new HostingEnvironment { EnvironmentName = environment });

    private static ServiceProvider Services(string environment, bool allowPrivate, CapturedLogs logs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Product:Webhooks:AllowPrivateNetworks"] = allowPrivate ? "true" : "false",
            ["Monitoring:Webhooks:BaseDelay"] = "00:00:00.010",
            ["Monitoring:Webhooks:UseJitter"] = "false",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment })
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddMonitoring();
        return services.BuildServiceProvider();
    }

    private static WebhookSubscription Subscription(Uri url) => new(url, Secret) { Id = "hook-1" };

    private static WebhookEvent Event() => WebhookEvent.Create(WebhookEventTypes.DriftDetected, "models/churn/versions/1", new { drift = true }, TimeProvider.System);

    /// <summary>Every message logged at any level by any category, formatted.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner._messages.Enqueue(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
        }
    }

    /// <summary>A receiver that redirects (<c>/redirect</c> → <c>/target</c>) or answers with a huge body (<c>/huge</c>).</summary>
    private sealed class TrickServer : IAsyncDisposable
    {
        public const long HugeLength = 256L * 1024 * 1024;
        private readonly WebApplication _app;
        private readonly TaskCompletionSource<long> _hugeDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _targetHits;

        private TrickServer(WebApplication app) => _app = app;

        public Uri Address { get; private set; } = null!;

        public int TargetHits => Volatile.Read(ref _targetHits);

        public static async Task<TrickServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var server = new TrickServer(app);
            app.MapPost("/redirect", () => Results.Redirect("/target", permanent: false, preserveMethod: true));
            app.MapPost("/target", () =>
            {
                Interlocked.Increment(ref server._targetHits);
                return Results.Ok();
            });
            app.MapPost("/huge", server.HugeAsync);
            await app.StartAsync();
            server.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return server;
        }

        public async Task<long> HugeBytesWrittenAsync() => await _hugeDone.Task.WaitAsync(TimeSpan.FromSeconds(30));

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private async Task HugeAsync(HttpContext context)
        {
            var chunk = new byte[64 * 1024];
            long written = 0;
            context.Response.StatusCode = 200;
            context.Response.ContentLength = HugeLength;
            try
            {
                // Count only what the connection took: once the sender has closed it, the pipe reports completion at once
                // (RequestAborted can be signalled later on a busy machine, and writes meanwhile go nowhere).
                while (written < HugeLength && !context.RequestAborted.IsCancellationRequested)
                {
                    var flushed = await context.Response.BodyWriter.WriteAsync(chunk, context.RequestAborted);
                    if (flushed.IsCompleted || flushed.IsCanceled)
                    {
                        break;
                    }

                    written += chunk.Length;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
            {
                // The sender closed the connection instead of reading on.
            }
            finally
            {
                _hugeDone.TrySetResult(written);
            }
        }
    }
}
