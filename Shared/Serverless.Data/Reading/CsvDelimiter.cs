namespace Serverless.Data.Reading;

/// <summary>Picks the delimiter of a CSV file: the one of comma, semicolon and tab that occurs most often (outside quotes) on its header line.</summary>
public static class CsvDelimiter
{
    public static readonly char[] Candidates = [',', ';', '\t'];

    public static char Detect(ReadOnlySpan<char> start)
    {
        Span<int> counts = stackalloc int[Candidates.Length];
        var inQuotes = false;
        foreach (var c in start)
        {
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && c is '\n' or '\r')
            {
                break;
            }
            else if (!inQuotes)
            {
                var index = Array.IndexOf(Candidates, c);
                if (index >= 0)
                {
                    counts[index]++;
                }
            }
        }

        var best = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            if (counts[i] > counts[best])
            {
                best = i;
            }
        }

        return Candidates[best];
    }
}
