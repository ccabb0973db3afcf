namespace Serverless.Functions.Serving;

/// <summary>The containers of batch scoring (section <c>Product</c>; the contract's names by default).</summary>
public sealed class ScoringContainers
{
    public const string Section = "Product";

    public string ScoringInputContainer { get; set; } = "scoring-input";

    public string ScoringOutputContainer { get; set; } = "scoring-output";
}
