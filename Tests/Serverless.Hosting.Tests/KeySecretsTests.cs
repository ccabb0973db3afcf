using Serverless.Hosting.Keys;
using Xunit;

namespace Serverless.Hosting.Tests;

public sealed class KeySecretsTests
{
    [Fact]
    public void Keys_are_256_bit_url_safe_and_distinct_and_hashes_are_sha256_hex()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => KeySecrets.Generate()).ToList();
        Assert.Equal(100, keys.Distinct().Count());
        Assert.All(keys, k => Assert.Equal(43, k.Length));
        Assert.All(keys, k => Assert.True(k.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')));
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", KeySecrets.Hash("hello"));
    }
}
