using System.Net;
using System.Net.Sockets;

namespace Serverless.Monitoring.Webhooks;

/// <summary>Which IP addresses a webhook may not reach unless private networks are allowed.</summary>
public static class WebhookAddresses
{
    /// <summary>
    /// What kind of non-public address <paramref name="address"/> is (loopback, link-local, private, unique-local,
    /// unspecified, shared (carrier-grade NAT), multicast, reserved, also inside IPv4-mapped and NAT64 IPv6 forms),
    /// or <c>null</c> when it is a public unicast address.
    /// </summary>
    public static string? DescribeNonPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv4MappedToIPv6)
            {
                return DescribeNonPublic(address.MapToIPv4());
            }

            var bytes = address.GetAddressBytes();
            if (IsNat64(bytes))
            {
                return DescribeNonPublic(new IPAddress(bytes.AsSpan(12, 4)));
            }

            return address switch
            {
                _ when address.Equals(IPAddress.IPv6Any) => "unspecified",
                _ when IPAddress.IsLoopback(address) => "loopback",
                _ when address.IsIPv6LinkLocal => "link-local",
                _ when address.IsIPv6SiteLocal => "site-local",
                _ when address.IsIPv6UniqueLocal => "unique-local",
                _ when address.IsIPv6Multicast => "multicast",
                _ when bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 => "IPv4-compatible", // ::a.b.c.d, deprecated
                _ => null,
            };
        }

        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return "not an IP address";
        }

        var b = address.GetAddressBytes();
        return b switch
        {
            [0, ..] => "unspecified",
            [127, ..] => "loopback",
            [10, ..] => "private",
            [172, >= 16 and <= 31, ..] => "private",
            [192, 168, ..] => "private",
            [169, 254, ..] => "link-local",
            [100, >= 64 and <= 127, ..] => "shared (carrier-grade NAT)",
            [192, 0, 0, _] => "reserved (IETF protocol assignments)",
            [198, 18 or 19, ..] => "reserved (benchmarking)",
            [>= 224 and <= 239, ..] => "multicast",
            [>= 240, ..] => "reserved",
            _ => null,
        };
    }

    /// <summary>The well-known NAT64 prefix <c>64:ff9b::/96</c>, which embeds an IPv4 address in its last 32 bits.</summary>
    private static bool IsNat64(byte[] bytes) =>
        bytes is [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, ..];
}
