using System.Text;
using Serverless.Storage;
using Serverless.Testing;
using Xunit;

namespace Serverless.Storage.Azure.Tests;

/// <summary>The storage abstractions' promises, checked against real Azurite.</summary>
public sealed class StorageConformanceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private TestStorage Storage => azurite.Storage;

    [Fact]
    public async Task Blob_create_only_refuses_to_overwrite_and_if_match_guards_updates()
    {
        var container = AzuriteFixture.UniqueName("c");
        await Storage.Blobs.CreateContainerIfNotExistsAsync(container);
        var first = await Storage.Blobs.UploadTextAsync(container, "a/b.txt", "one", BlobWriteOptions.Immutable);

        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.Blobs.UploadTextAsync(container, "a/b.txt", "two", BlobWriteOptions.Immutable));
        Assert.Equal("one", await Storage.Blobs.DownloadTextAsync(container, "a/b.txt"));

        var second = await Storage.Blobs.UploadTextAsync(container, "a/b.txt", "two", new BlobWriteOptions { IfMatch = first.ETag });
        Assert.NotEqual(first.ETag, second.ETag);
        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.Blobs.UploadTextAsync(container, "a/b.txt", "three", new BlobWriteOptions { IfMatch = first.ETag }));
        Assert.Equal("two", await Storage.Blobs.DownloadTextAsync(container, "a/b.txt"));
    }

    [Fact]
    public async Task A_whole_blob_read_while_a_writer_replaces_it_returns_one_whole_version()
    {
        var container = AzuriteFixture.UniqueName("c");
        await Storage.Blobs.CreateContainerIfNotExistsAsync(container);
        await Storage.Blobs.UploadTextAsync(container, "state.json", new string('a', 2000));
        await Assert.ThrowsAsync<StorageNotFoundException>(() => Storage.Blobs.DownloadBytesAsync(container, "missing.json"));

        // A streamed read fixes the version when it opens and fails (412) when the blob is replaced before it reads;
        // a whole-blob read is one request, so readers polling state that a writer keeps replacing never fail.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await Storage.Blobs.UploadTextAsync(container, "state.json", new string((char)('a' + (i % 26)), 2000));
            }
        });
        var reads = 0;
        while (!stop.IsCancellationRequested)
        {
            var text = await Storage.Blobs.DownloadTextAsync(container, "state.json");
            Assert.Equal(2000, text.Length);
            Assert.All(text, c => Assert.Equal(text[0], c));
            reads++;
        }

        await writer;
        Assert.True(reads > 10, $"only {reads} reads");
    }

    [Fact]
    public async Task Blob_create_only_holds_for_uploads_in_blocks()
    {
        var container = AzuriteFixture.UniqueName("c");
        await Storage.Blobs.CreateContainerIfNotExistsAsync(container);
        var large = new byte[9 * 1024 * 1024]; // over one transfer: staged blocks, then a block list
        large.AsSpan().Fill(1);
        await Storage.Blobs.UploadBytesAsync(container, "model.onnx", large, BlobWriteOptions.Immutable);

        large.AsSpan().Fill(2);
        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.Blobs.UploadBytesAsync(container, "model.onnx", large, BlobWriteOptions.Immutable));
        var stored = await Storage.Blobs.DownloadBytesAsync(container, "model.onnx");
        Assert.Equal(large.Length, stored.Length);
        Assert.True(Array.TrueForAll(stored, b => b == 1), "the first upload's bytes were replaced");
    }

    [Fact]
    public async Task Blob_listing_is_by_prefix_and_missing_blobs_are_reported_as_such()
    {
        var container = AzuriteFixture.UniqueName("c");
        Assert.Empty(await Storage.Blobs.ListAsync(container).ToListAsync()); // no container yet: empty, not an error
        await Storage.Blobs.CreateContainerIfNotExistsAsync(container);
        await Storage.Blobs.UploadTextAsync(container, "p/1.csv", "x", new BlobWriteOptions { Metadata = new Dictionary<string, string> { ["k"] = "v" } });
        await Storage.Blobs.UploadTextAsync(container, "p/2.csv", "xy");
        await Storage.Blobs.UploadTextAsync(container, "q/3.csv", "xyz");

        var listed = await Storage.Blobs.ListAsync(container, "p/").ToListAsync();
        Assert.Equal(["p/1.csv", "p/2.csv"], listed.Select(b => b.Name));
        Assert.Equal("v", listed[0].Metadata!["k"]);
        Assert.Equal(2, listed[1].Length);

        Assert.Null(await Storage.Blobs.GetPropertiesAsync(container, "nope"));
        await Assert.ThrowsAsync<StorageNotFoundException>(() => Storage.Blobs.OpenReadAsync(container, "nope"));
        Assert.True(await Storage.Blobs.DeleteIfExistsAsync(container, "p/1.csv"));
        Assert.False(await Storage.Blobs.DeleteIfExistsAsync(container, "p/1.csv"));
    }

    [Fact]
    public async Task Appends_create_the_append_blob_and_land_whole_blocks_from_concurrent_writers()
    {
        var container = AzuriteFixture.UniqueName("c");
        await Storage.Blobs.CreateContainerIfNotExistsAsync(container);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                await Storage.Blobs.AppendAsync(container, "log/segment.jsonl", Encoding.UTF8.GetBytes($"w{w}-{i}-first\nw{w}-{i}-second\n"));
            }
        })));

        string text;
        await using (var stream = await Storage.Blobs.OpenReadAsync(container, "log/segment.jsonl"))
        {
            text = await new StreamReader(stream).ReadToEndAsync();
        }

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(80, lines.Length);
        for (var n = 0; n < lines.Length; n += 2)
        {
            Assert.EndsWith("-first", lines[n], StringComparison.Ordinal);
            Assert.Equal(lines[n].Replace("-first", "-second", StringComparison.Ordinal), lines[n + 1]);
        }

        await Storage.Blobs.UploadTextAsync(container, "log/block-blob.jsonl", "not an append blob\n");
        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.Blobs.AppendAsync(container, "log/block-blob.jsonl", Encoding.UTF8.GetBytes("x\n")));
    }

    [Fact]
    public async Task Staged_blocks_stay_invisible_until_the_commit_which_joins_them_in_list_order()
    {
        var container = AzuriteFixture.UniqueName("c");
        await Storage.Blobs.CreateContainerIfNotExistsAsync(container);

        // Writers stage out of order; one is retried and restages its block with other bytes: the retry's bytes win.
        await Storage.Blobs.StageBlockAsync(container, "out.csv", "run-p-000002", Encoding.UTF8.GetBytes("c\n"));
        await Storage.Blobs.StageBlockAsync(container, "out.csv", "run-p-000000", Encoding.UTF8.GetBytes("first attempt, lost\n"));
        await Storage.Blobs.StageBlockAsync(container, "out.csv", "run-p-000001", Encoding.UTF8.GetBytes("b\n"));
        await Storage.Blobs.StageBlockAsync(container, "out.csv", "run-p-000000", Encoding.UTF8.GetBytes("a\n"));
        await Storage.Blobs.StageBlockAsync(container, "out.csv", "run-h", Encoding.UTF8.GetBytes("header\n"));

        // Nothing is visible before the commit: no blob, no listing, no read.
        Assert.Null(await Storage.Blobs.GetPropertiesAsync(container, "out.csv"));
        Assert.Empty(await Storage.Blobs.ListAsync(container).ToListAsync());
        await Assert.ThrowsAsync<StorageNotFoundException>(() => Storage.Blobs.DownloadBytesAsync(container, "out.csv"));

        string[] list = ["run-h", "run-p-000000", "run-p-000001", "run-p-000002"];
        var committed = await Storage.Blobs.CommitBlockListAsync(container, "out.csv", list, new BlobWriteOptions { ContentType = "text/csv" });
        Assert.Equal("header\na\nb\nc\n", await Storage.Blobs.DownloadTextAsync(container, "out.csv"));
        var properties = await Storage.Blobs.GetPropertiesAsync(container, "out.csv");
        Assert.Equal(("text/csv", committed.ETag, 13L), (properties!.ContentType, properties.ETag, properties.Length));

        // A retried commit of the same list is idempotent; a list naming a block never staged is refused, blob unchanged.
        await Storage.Blobs.CommitBlockListAsync(container, "out.csv", list);
        Assert.Equal("header\na\nb\nc\n", await Storage.Blobs.DownloadTextAsync(container, "out.csv"));
        await Assert.ThrowsAsync<StorageNotFoundException>(() => Storage.Blobs.CommitBlockListAsync(container, "out.csv", ["run-h", "run-p-000009"]));
        Assert.Equal("header\na\nb\nc\n", await Storage.Blobs.DownloadTextAsync(container, "out.csv"));

        // Staging against a committed blob changes nothing until the next commit.
        await Storage.Blobs.StageBlockAsync(container, "out.csv", "run-p-000001", Encoding.UTF8.GetBytes("B\n"));
        Assert.Equal("header\na\nb\nc\n", await Storage.Blobs.DownloadTextAsync(container, "out.csv"));
    }

    [Fact]
    public async Task A_range_read_returns_exactly_its_bytes_or_says_the_blob_is_shorter()
    {
        var container = AzuriteFixture.UniqueName("c");
        await Storage.Blobs.CreateContainerIfNotExistsAsync(container);
        var payload = new byte[5 * 1024 * 1024 + 3];
        new Random(11).NextBytes(payload);
        await Storage.Blobs.UploadBytesAsync(container, "input.csv", payload);

        var range = new byte[4 * 1024 * 1024 + 1];
        await Storage.Blobs.ReadRangeAsync(container, "input.csv", 1_000_001, range);
        Assert.True(range.AsSpan().SequenceEqual(payload.AsSpan(1_000_001, range.Length)), "the range's bytes differ");

        await Assert.ThrowsAsync<EndOfStreamException>(() => Storage.Blobs.ReadRangeAsync(container, "input.csv", payload.Length - 2, new byte[3]));
        await Assert.ThrowsAsync<EndOfStreamException>(() => Storage.Blobs.ReadRangeAsync(container, "input.csv", payload.Length + 10, new byte[3]));
        await Assert.ThrowsAsync<StorageNotFoundException>(() => Storage.Blobs.ReadRangeAsync(container, "missing.csv", 0, new byte[3]));
    }

    [Fact]
    public async Task A_copy_holds_the_version_it_was_asked_for_and_never_changes_with_its_source()
    {
        var source = AzuriteFixture.UniqueName("c");
        var target = AzuriteFixture.UniqueName("c");
        await Storage.Blobs.CreateContainerIfNotExistsAsync(source);
        await Storage.Blobs.CreateContainerIfNotExistsAsync(target);
        var payload = new byte[9 * 1024 * 1024 + 5];
        new Random(5).NextBytes(payload);
        var uploaded = await Storage.Blobs.UploadBytesAsync(source, "in/data.csv", payload, new BlobWriteOptions { ContentType = "text/csv" });

        var copied = await Storage.Blobs.CopyAsync(source, "in/data.csv", uploaded.ETag, target, "snap/data.csv", BlobWriteOptions.Immutable);
        Assert.Equal(payload.Length, copied.Length);
        Assert.Equal("text/csv", copied.ContentType);
        Assert.Equal(payload, await Storage.Blobs.DownloadBytesAsync(target, "snap/data.csv"));

        // Create-only holds for copies; a source replaced since the version read is not copied.
        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.Blobs.CopyAsync(source, "in/data.csv", uploaded.ETag, target, "snap/data.csv", BlobWriteOptions.Immutable));
        var replaced = await Storage.Blobs.UploadBytesAsync(source, "in/data.csv", "other"u8.ToArray());
        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.Blobs.CopyAsync(source, "in/data.csv", uploaded.ETag, target, "snap/other.csv", BlobWriteOptions.Immutable));
        Assert.Null(await Storage.Blobs.GetPropertiesAsync(target, "snap/other.csv"));
        await Assert.ThrowsAsync<StorageNotFoundException>(() => Storage.Blobs.CopyAsync(source, "in/missing.csv", replaced.ETag, target, "snap/missing.csv"));

        // The copy is its own bytes: replacing or deleting the source leaves it as it was.
        Assert.True(await Storage.Blobs.DeleteIfExistsAsync(source, "in/data.csv"));
        Assert.Equal(payload, await Storage.Blobs.DownloadBytesAsync(target, "snap/data.csv"));
        Assert.Equal(copied.ETag, (await Storage.Blobs.GetPropertiesAsync(target, "snap/data.csv"))!.ETag);
    }

    [Fact]
    public async Task Etags_are_the_same_whichever_call_returns_them()
    {
        var container = AzuriteFixture.UniqueName("c");
        await Storage.Blobs.CreateContainerIfNotExistsAsync(container);
        var uploaded = await Storage.Blobs.UploadTextAsync(container, "a.txt", "x");
        var read = await Storage.Blobs.GetPropertiesAsync(container, "a.txt");
        var listed = Assert.Single(await Storage.Blobs.ListAsync(container).ToListAsync());
        Assert.Equal(uploaded.ETag, read!.ETag);
        Assert.Equal(uploaded.ETag, listed.ETag);
        await Storage.Blobs.UploadTextAsync(container, "a.txt", "y", new BlobWriteOptions { IfMatch = listed.ETag });
    }

    [Fact]
    public async Task Large_blobs_stream_in_and_out_intact()
    {
        var container = AzuriteFixture.UniqueName("c");
        await Storage.Blobs.CreateContainerIfNotExistsAsync(container);
        var payload = new byte[20 * 1024 * 1024 + 7];
        new Random(7).NextBytes(payload);
        await Storage.Blobs.UploadBytesAsync(container, "big.bin", payload);
        Assert.Equal(payload, await Storage.Blobs.DownloadBytesAsync(container, "big.bin"));
    }

    [Fact]
    public async Task Table_rows_round_trip_their_types_and_guard_with_etags()
    {
        var table = AzuriteFixture.UniqueName("t");
        await Storage.Tables.CreateTableIfNotExistsAsync(table);
        var when = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
        var row = new TableEntity("p", "r", new Dictionary<string, object?>
        {
            ["s"] = "text", ["i"] = 5, ["l"] = 5_000_000_000L, ["d"] = 0.25, ["b"] = true, ["t"] = when,
        });
        var etag = await Storage.Tables.AddAsync(table, row);
        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.Tables.AddAsync(table, row));

        var read = await Storage.Tables.GetAsync(table, "p", "r");
        Assert.NotNull(read);
        Assert.Equal("text", read.GetString("s"));
        Assert.Equal(5, read.GetInt32("i"));
        Assert.Equal(5_000_000_000L, read.GetInt64("l"));
        Assert.Equal(0.25, read.GetDouble("d"));
        Assert.True(read.GetBoolean("b"));
        Assert.Equal(when, read.GetDateTimeOffset("t"));
        Assert.Equal(etag, read.ETag);

        await Storage.Tables.UpdateAsync(table, read.With(("s", "changed")));
        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.Tables.UpdateAsync(table, read.With(("s", "stale"))));
        Assert.Equal("changed", (await Storage.Tables.GetAsync(table, "p", "r"))!.GetString("s"));
    }

    [Fact]
    public async Task Table_transactions_are_all_or_nothing_and_queries_honour_ranges()
    {
        var table = AzuriteFixture.UniqueName("t");
        await Storage.Tables.CreateTableIfNotExistsAsync(table);
        await Storage.Tables.AddAsync(table, new TableEntity("p", "0002"));

        var batch = Enumerable.Range(0, 5).Select(i => TableOperation.Add(new TableEntity("p", i.ToString("0000", System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.Tables.SubmitTransactionAsync(table, batch));
        Assert.Single(await Storage.Tables.QueryAsync(table, TableQuery.Partition("p")).ToListAsync());

        batch.RemoveAt(2);
        await Storage.Tables.SubmitTransactionAsync(table, batch);
        var range = await Storage.Tables.QueryAsync(table, new TableQuery { PartitionKey = "p", RowKeyFrom = "0001", RowKeyBefore = "0004" }).ToListAsync();
        Assert.Equal(["0001", "0002", "0003"], range.Select(r => r.RowKey));
        Assert.Equal(2, (await Storage.Tables.QueryAsync(table, new TableQuery { PartitionKey = "p", Take = 2 }).ToListAsync()).Count);
        Assert.Empty(await Storage.Tables.QueryAsync(AzuriteFixture.UniqueName("missing"), TableQuery.All).ToListAsync());

        // Rows read with a projection can still be deleted in a transaction.
        var projected = await Storage.Tables.QueryAsync(table, new TableQuery { PartitionKey = "p", Select = ["RowKey"] }).ToListAsync();
        await Storage.Tables.SubmitTransactionAsync(table, projected.Select(TableOperation.Delete).ToList());
        Assert.Empty(await Storage.Tables.QueryAsync(table, TableQuery.Partition("p")).ToListAsync());
    }

    [Fact]
    public async Task Queue_messages_are_hidden_while_held_and_come_back_when_released()
    {
        var queue = AzuriteFixture.UniqueName("q");
        await Storage.Queues.CreateQueueIfNotExistsAsync(queue);
        await Storage.Queues.SendAsync(queue, "{\"hello\":\"wörld\"}");

        var received = Assert.Single(await Storage.Queues.ReceiveAsync(queue, 32, TimeSpan.FromSeconds(30)));
        Assert.Equal("{\"hello\":\"wörld\"}", received.Body);
        Assert.Equal(1, received.DequeueCount);
        Assert.Empty(await Storage.Queues.ReceiveAsync(queue, 32, TimeSpan.FromSeconds(30)));

        var receipt = await Storage.Queues.UpdateVisibilityAsync(queue, received.MessageId, received.PopReceipt, TimeSpan.Zero);
        var again = Assert.Single(await Storage.Queues.ReceiveAsync(queue, 32, TimeSpan.FromSeconds(30)));
        Assert.Equal(2, again.DequeueCount);
        Assert.False(await Storage.Queues.DeleteAsync(queue, received.MessageId, receipt)); // stale receipt
        Assert.True(await Storage.Queues.DeleteAsync(queue, again.MessageId, again.PopReceipt));
        Assert.Equal(0, await Storage.Queues.GetApproximateCountAsync(queue));

        var tooLarge = new string('x', Storage.Queues.MaxMessageLength + 1);
        await Assert.ThrowsAsync<ArgumentException>(() => Storage.Queues.SendAsync(queue, tooLarge));
    }

    [Fact]
    public async Task A_lease_has_one_owner_until_released()
    {
        var container = AzuriteFixture.UniqueName("l");
        Assert.True(await Storage.Leases.TryAcquireAsync(container, "partition-0", "host-a", TimeSpan.FromSeconds(15)));
        Assert.True(await Storage.Leases.TryAcquireAsync(container, "partition-0", "host-a", TimeSpan.FromSeconds(15)));
        Assert.False(await Storage.Leases.TryAcquireAsync(container, "partition-0", "host-b", TimeSpan.FromSeconds(15)));
        Assert.True(await Storage.Leases.RenewAsync(container, "partition-0", "host-a"));
        Assert.False(await Storage.Leases.RenewAsync(container, "partition-0", "host-b"));

        await Storage.Leases.ReleaseAsync(container, "partition-0", "host-a");
        Assert.True(await Storage.Leases.TryAcquireAsync(container, "partition-0", "host-b", TimeSpan.FromSeconds(15)));
    }
}
