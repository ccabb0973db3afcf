using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Serverless.Monitoring.Webhooks;

/// <summary>
/// Keeps webhooks from being aimed inward. Outside the Development environment, and unless
/// <see cref="WebhookNetworkOptions.AllowPrivateNetworks"/> is set, a webhook host must resolve only to public
/// addresses (<see cref="WebhookAddresses"/>): checked when a subscription is registered
/// (<see cref="EnsureAllowedAsync"/>) and again on every connection (<see cref="CreateHandler"/>), which resolves the
/// host itself and connects only to an address it checked, so a DNS answer that changes after registration does not
/// reach inside either. The delivery handler follows no redirects, uses no proxy and drains little of a response.
/// </summary>
public sealed class WebhookDestinationPolicy
{
    /// <summary>Bytes of a response body the sender may read or drain (bodies are not used).</summary>
    public const int MaxResponseBytes = 64 * 1024;

    public WebhookDestinationPolicy(IOptions<WebhookNetworkOptions> options, IHostEnvironment? environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        Restricted = !options.Value.AllowPrivateNetworks && !(environment?.IsDevelopment() ?? false);
    }

    /// <summary>Whether non-public destinations are refused (not Development, private networks not allowed).</summary>
    public bool Restricted { get; }

    /// <summary>Refuses a URL whose host resolves to any non-public address (or to none), when <see cref="Restricted"/>.</summary>
    /// <exception cref="WebhookDestinationException">The host is refused; the message names it, the address kind and the setting.</exception>
    public async Task EnsureAllowedAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Restricted)
        {
            return;
        }

        var host = url.DnsSafeHost;
        var addresses = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        foreach (var address in addresses)
        {
            if (WebhookAddresses.DescribeNonPublic(address) is { } kind)
            {
                throw Refused($"Webhook host '{host}' resolves to {address}, a {kind} address");
            }
        }
    }

    /// <summary>The primary handler of the webhook HTTP client: checked connections, no redirects, no proxy, little draining.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false, // a proxy would be the checked address instead of the receiver
        UseCookies = false,
        ConnectCallback = ConnectAsync,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        MaxResponseDrainSize = MaxResponseBytes,
        MaxResponseHeadersLength = 64, // KiB
    };

    /// <summary>Resolves the host and connects to the first address that may be reached, never to another.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false); // a failure here is transient
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        var allowed = Restricted ? addresses.Where(a => WebhookAddresses.DescribeNonPublic(a) is null).ToArray() : addresses;
        if (allowed.Length == 0)
        {
            var kind = WebhookAddresses.DescribeNonPublic(addresses[0]);
            throw Refused($"Webhook host '{host}' resolves only to non-public addresses ({addresses[0]} is {kind})");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new WebhookDestinationException($"Webhook host '{host}' does not resolve ({e.SocketErrorCode}).", e);
        }

        return addresses.Length > 0 ? addresses : throw new WebhookDestinationException($"Webhook host '{host}' resolves to no address.");
    }

    private static WebhookDestinationException Refused(string what) => new(
        $"{what}; outside the Development environment webhooks may not be aimed at loopback, link-local, private, unique-local or other non-public addresses (set {WebhookNetworkOptions.AllowPrivateNetworksSetting} to true to allow them).");
}
