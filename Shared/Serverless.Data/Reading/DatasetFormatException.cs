using Serverless.Domain;

namespace Serverless.Data.Reading;

/// <summary>
/// An uploaded file that cannot be read as a dataset. The message names the file and, where there is one,
/// the line (1-based, the header is line 1) and the column.
/// </summary>
public sealed class DatasetFormatException : BadInputException
{
    public DatasetFormatException() : this("dataset", "The dataset cannot be read.") { }

    public DatasetFormatException(string message) : this("dataset", message) { }

    public DatasetFormatException(string message, Exception inner) : base(message, inner) => FileName = "dataset";

    public DatasetFormatException(string fileName, string problem, long? line = null, string? column = null, Exception? inner = null)
        : base(Describe(fileName, problem, line, column), inner)
    {
        FileName = fileName;
        Line = line;
        Column = column;
        Problem = problem;
    }

    public string FileName { get; }

    /// <summary>The 1-based line of the file where the problem is (the header is line 1), when there is one.</summary>
    public long? Line { get; }

    public string? Column { get; }

    /// <summary>The problem without the file/line prefix.</summary>
    public string? Problem { get; }

    private static string Describe(string fileName, string problem, long? line, string? column)
    {
        var where = fileName;
        if (line is not null)
        {
            where += $", line {line}";
        }

        if (column is not null)
        {
            where += $", column '{column}'";
        }

        return $"{where}: {problem}";
    }
}
