using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Serverless.Data.Reading;

namespace Serverless.Data.Tests;

public sealed class HashTests
{
    [Property(MaxTest = 50)]
    public Property Hash_does_not_depend_on_how_the_bytes_arrive(byte[] content, PositiveInt chunk)
    {
        using var hashing = new HashingStream(new ChunkedStream(content, 1 + (chunk.Get % 97)));
        var buffer = new byte[1 + (chunk.Get % 13)];
        _ = hashing.Read(buffer);
        var hash = hashing.CompleteAsync(CancellationToken.None).GetAwaiter().GetResult();
        return (hash == Convert.ToHexStringLower(SHA256.HashData(content)) && hashing.BytesRead == content.Length).ToProperty();
    }

    [Fact]
    public async Task Equal_content_gives_equal_hash_and_different_content_a_different_one()
    {
        var a = await Ingest.TextAsync(Ingest.Churn(30));
        var b = await Ingest.BytesAsync(Encoding.UTF8.GetBytes(Ingest.Churn(30)), "other-name.csv");
        var c = await Ingest.TextAsync(Ingest.Churn(31));
        Assert.Equal(a.ContentHash, b.ContentHash);
        Assert.NotEqual(a.ContentHash, c.ContentHash);
        Assert.Equal(64, a.ContentHash.Length);
    }

    [Fact]
    public async Task Hash_covers_bytes_after_the_last_record()
    {
        var text = Encoding.UTF8.GetBytes("a,b\n1,x\n2,y\n");
        await using var stream = new ChunkedStream(text, 3);
        var raw = await DatasetReader.ReadAsync(stream, "a.csv", CancellationToken.None);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(text)), raw.ContentHash);
        Assert.Equal(text.Length, raw.ByteCount);
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, as a network stream would.</summary>
    private sealed class ChunkedStream(byte[] content, int chunk) : MemoryStream(content)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
