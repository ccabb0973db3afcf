using System.Text;
using System.Text.Json;
using Serverless.Domain.Datasets;

namespace Serverless.Serving.Predictions;

/// <summary>One row of a request frame as compact JSON (missing values as null), for the prediction log.</summary>
internal static class FrameRowJson
{
    public static string Format(TabularFrame frame, int row)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var column in frame.Columns)
            {
                if (column.IsMissing(row))
                {
                    writer.WriteNull(column.Name);
                }
                else if (column is NumericColumn numeric)
                {
                    writer.WriteNumber(column.Name, numeric.Values[row]);
                }
                else
                {
                    writer.WriteString(column.Name, column.Format(row));
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
