using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Serverless.Serving.Predictions;

/// <summary>
/// A <see cref="Utf8JsonWriter"/> and its buffer reused per thread, for the small JSON strings of the prediction log
/// (one row's inputs, one row's probabilities): no stream, writer or buffer is allocated per prediction.
/// </summary>
internal static class ThreadJsonWriter
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Runs <paramref name="write"/> on a reset writer and returns what it wrote as a string.</summary>
    public static string Format<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            write(writer, state);
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            writer.Reset(buffer);
            if (buffer.Capacity > 64 * 1024)
            {
                // An unusually wide row: do not keep its buffer for the thread's lifetime.
                t_buffer = null;
                t_writer = null;
            }
        }
    }
}
