namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Score <see cref="InputBlob"/> (a CSV with a header) with the model's production version; <see cref="RunId"/> is the
/// orchestration's instance id. <see cref="Layout"/> is the input's rows as the trigger found them while hashing (the
/// plan reads the file itself when it is null); the orchestration passes the request on to its activities without it.
/// </summary>
public sealed record ScoringRequest(string Model, string InputContainer, string InputBlob, string OutputContainer, string OutputPrefix, string ContentHash, string RunId, ScoringLayout? Layout = null);

/// <summary>A scoring input's header fields, data rows and row ranges of <see cref="BatchScoringOptions.ChunkRows"/>.</summary>
public sealed record ScoringLayout(IReadOnlyList<string> Header, long Rows, IReadOnlyList<ScoringChunk> Chunks);

/// <summary>One range of data rows: bytes [<see cref="Start"/>, <see cref="End"/>) of the file, rows from <see cref="FirstRow"/> (1-based, header not counted).</summary>
public sealed record ScoringChunk(int Index, long Start, long End, long FirstRow, int Rows);

/// <summary>
/// What the plan found: the version to use (production at start), the header, and the chunks; and how many chunks
/// to score at once (<see cref="BatchScoringOptions.Parallelism"/> when planned, kept in the run's history).
/// </summary>
public sealed record ScoringPlan(int Version, IReadOnlyList<string> Header, long Rows, IReadOnlyList<ScoringChunk> Chunks, int Parallelism);

/// <summary>Work for one chunk activity.</summary>
public sealed record ChunkWork(ScoringRequest Request, int Version, IReadOnlyList<string> Header, ScoringChunk Chunk);

/// <summary>A scored chunk: rows scored and bad rows (each non-zero count staged a block), and where its time went.</summary>
public sealed record ChunkOutcome(int Index, long Scored, long BadRows, ScoringTimings? Timings = null);

/// <summary>The final commit of the chunk outputs: the chunks that staged a predictions block and those that staged an errors block.</summary>
public sealed record MergeWork(ScoringRequest Request, IReadOnlyList<string> Header, int Version, IReadOnlyList<int> PredictionChunks, IReadOnlyList<int> ErrorChunks);

/// <summary>The run's custom status and output: progress while running, totals and the output blobs at the end.</summary>
public sealed record ScoringStatus(
    string Model,
    int Version,
    string Input,
    int ChunksDone,
    int ChunksTotal,
    long Rows,
    long RowsScored,
    long BadRows,
    string State,
    string? Predictions = null,
    string? Errors = null,
    ScoringTimings? Timings = null);
