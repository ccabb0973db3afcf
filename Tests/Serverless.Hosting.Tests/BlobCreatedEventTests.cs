using Serverless.Hosting.Blobs;
using Xunit;

namespace Serverless.Hosting.Tests;

public sealed class BlobCreatedEventTests
{
    [Fact]
    public void Reads_the_blob_from_subject_or_url_for_single_events_and_arrays()
    {
        var single = BlobCreatedEvent.Parse("""
            {"eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/datasets/blobs/wine/a b.csv","data":{"url":"ignored"}}
            """);
        Assert.Equal([new BlobCreatedEvent("datasets", "wine/a b.csv")], single);

        var array = BlobCreatedEvent.Parse("""
            [{"eventType":"Microsoft.Storage.BlobCreated","data":{"url":"https://acct.blob.core.windows.net/datasets/wine/x.csv"}},
             {"eventType":"Microsoft.Storage.BlobDeleted","subject":"/blobServices/default/containers/datasets/blobs/gone.csv"},
             {"eventType":"Microsoft.Storage.BlobCreated","data":{"url":"http://127.0.0.1:10000/devstoreaccount1/datasets/iris%20v2.csv"}}]
            """);
        Assert.Equal([new BlobCreatedEvent("datasets", "wine/x.csv"), new BlobCreatedEvent("datasets", "iris v2.csv")], array);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"eventType":"Microsoft.Storage.BlobCreated","subject":"nothing useful"}""")]
    public void Unreadable_events_are_refused(string body) =>
        Assert.Throws<FormatException>(() => BlobCreatedEvent.Parse(body));
}
