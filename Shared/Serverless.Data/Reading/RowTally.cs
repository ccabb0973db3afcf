namespace Serverless.Data.Reading;

/// <summary>
/// The rows of a file's blocks read at the same time, counted together against <see cref="DatasetLimits.MaxRows"/>
/// and <see cref="DatasetLimits.MaxCells"/> (in batches of <see cref="Batch"/> rows per block), so reading in blocks
/// holds no more than reading in order would before the limit stops it.
/// </summary>
internal sealed class RowTally(string fileName, DatasetLimits limits)
{
    public const int Batch = 4096;
    private long _rows;

    /// <exception cref="DatasetFormatException">The blocks together are over a limit (the file is then read in order, which names the row).</exception>
    public void Add(int rows, int columns)
    {
        var total = Interlocked.Add(ref _rows, rows);
        if (total > limits.MaxRows || total * columns > limits.MaxCells)
        {
            throw new DatasetFormatException(fileName, "is over a row or value limit");
        }
    }
}
