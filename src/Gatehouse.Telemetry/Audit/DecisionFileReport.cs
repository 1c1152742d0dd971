namespace Gatehouse.Telemetry.Audit;

public enum DecisionFileState
{
    /// <summary>The chain is intact and a checkpoint signed by a known key seals the file.</summary>
    Sealed,

    /// <summary>
    /// The chain is intact but no checkpoint ends the file: it is still being written, or its writer stopped
    /// without sealing it. Lines at its end could have been removed without trace.
    /// </summary>
    Unsealed,

    /// <summary>At least one problem was found: a broken chain, a bad checkpoint or an unreadable line.</summary>
    Invalid,
}

/// <summary>One finding of the verifier, at a 1-based line number (0 for the file as a whole).</summary>
public sealed record VerificationProblem(int Line, string Message);

/// <summary>Outcome of verifying one decision file.</summary>
public sealed class DecisionFileReport
{
    public required string Path { get; init; }

    public required DecisionFileState State { get; init; }

    /// <summary>Decision records found, whether or not their links verify.</summary>
    public long Records { get; init; }

    /// <summary>Records the writer reported dropped (from gap lines) while the file was open.</summary>
    public long Dropped { get; init; }

    /// <summary>Key id of the checkpoint signature, when the file has a signed checkpoint.</summary>
    public string? KeyId { get; init; }

    public required IReadOnlyList<VerificationProblem> Problems { get; init; }

    /// <summary>A note on an unsealed file, such as an incomplete last line; null when there is none.</summary>
    public string? Note { get; init; }
}
