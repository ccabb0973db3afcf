using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Serverless.Serving.Http;

/// <summary>
/// Reads a request body into memory, refusing (413) anything over the configured size before reading it all. With a
/// Content-Length the body is read straight into one array of that size; otherwise it grows through pooled chunks.
/// </summary>
internal static class RequestBody
{
    private const int ChunkBytes = 16 * 1024;

    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpContext context, long maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = maxBytes + 1;
        }

        return request.ContentLength is { } length
            ? await ReadExactAsync(request.Body, (int)length, context.RequestAborted).ConfigureAwait(false)
            : await ReadChunkedAsync(request.Body, maxBytes, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadExactAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        var filled = 0;
        while (filled < length)
        {
            var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return buffer.AsMemory(0, filled);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadChunkedAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(4096);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static ServingRequestException TooLarge(long maxBytes) =>
        ServingRequestException.TooLarge($"The request body is larger than {maxBytes} bytes; send fewer rows per request (or use batch scoring).");
}
