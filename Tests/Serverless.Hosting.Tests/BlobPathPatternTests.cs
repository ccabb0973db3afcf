using Serverless.Hosting.Blobs;
using Xunit;

namespace Serverless.Hosting.Tests;

public sealed class BlobPathPatternTests
{
    [Fact]
    public void Captures_segments_and_the_catch_all_and_narrows_listing_to_the_literal_prefix()
    {
        var pattern = BlobPathPattern.Parse("datasets/{project}/{*path}");
        Assert.Equal("datasets", pattern.Container);
        Assert.Equal(string.Empty, pattern.ListPrefix);
        var values = pattern.Match("datasets", "wine/2026/01/red.csv")!;
        Assert.Equal("wine", values["project"]);
        Assert.Equal("2026/01/red.csv", values["path"]);
        Assert.Equal("datasets/wine/2026/01/red.csv", values["blobTrigger"]);
        Assert.Null(pattern.Match("datasets", "no-slash.csv"));
        Assert.Null(pattern.Match("models", "wine/x.csv"));
    }

    [Fact]
    public void A_final_parameter_takes_sub_folders_and_literals_must_match()
    {
        var pattern = BlobPathPattern.Parse("uploads/incoming/{name}.csv");
        Assert.Equal("incoming/", pattern.ListPrefix);
        Assert.Null(pattern.Match("uploads", "incoming/a/b.csv")); // {name} is followed by text: one segment
        Assert.Equal("a", pattern.Match("uploads", "incoming/a.csv")!["name"]);
        Assert.Null(pattern.Match("uploads", "incoming/a.json"));

        var last = BlobPathPattern.Parse("samples/{name}");
        Assert.Equal("x/y/z.bin", last.Match("samples", "x/y/z.bin")!["name"]);
        Assert.Equal("a.b", BlobPathPattern.Parse("c/{name}").Match("c", "a.b")!["name"]); // dots are literal-safe
    }

    [Theory]
    [InlineData("{project}/x")]
    [InlineData("/x")]
    [InlineData("c/{unclosed")]
    [InlineData("c/{}")]
    [InlineData("c/{bad-name}")]
    public void Malformed_paths_are_refused_with_the_path_named(string path)
    {
        var error = Assert.Throws<FormatException>(() => BlobPathPattern.Parse(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
