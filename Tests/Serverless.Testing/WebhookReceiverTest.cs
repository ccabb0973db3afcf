using Xunit;

namespace Serverless.Testing;

/// <summary>
/// Base of test classes that send webhooks: each test gets its own <see cref="WebhookReceiver"/> on loopback and an
/// <see cref="HttpClient"/> for the sender under test, both disposed after the test.
/// </summary>
public abstract class WebhookReceiverTest : IAsyncLifetime
{
    protected WebhookReceiver Receiver { get; private set; } = null!;

    protected HttpClient Http { get; } = new();

    public async Task InitializeAsync() => Receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Receiver.DisposeAsync();
    }
}
