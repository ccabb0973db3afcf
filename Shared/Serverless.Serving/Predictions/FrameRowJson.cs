using System.Text.Json;
using Serverless.Domain.Datasets;

namespace Serverless.Serving.Predictions;

/// <summary>One row of a request frame as compact JSON (missing values as null), for the prediction log.</summary>
internal static class FrameRowJson
{
    /// <summary>Writes the row's object (column → value) as the next value of <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, TabularFrame frame, int row)
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
}
