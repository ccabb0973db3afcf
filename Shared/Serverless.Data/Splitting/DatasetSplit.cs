namespace Serverless.Data.Splitting;

/// <summary>Row indexes (0-based, ascending) of the train, validation and test parts; disjoint, covering every row.</summary>
public sealed record DatasetSplit(int[] Train, int[] Validation, int[] Test, int Seed)
{
    public int TrainCount => Train.Length;

    public int ValidationCount => Validation.Length;

    public int TestCount => Test.Length;
}
