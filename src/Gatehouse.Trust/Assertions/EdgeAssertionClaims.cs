namespace Gatehouse.Trust.Assertions;

/// <summary>Claim names of an edge assertion beyond the registered JWT claims.</summary>
internal static class EdgeAssertionClaims
{
    public const string RequestId = "rid";
    public const string ClientAddress = "cip";
    public const string Groups = "grp";
    public const string Variant = "var";
    public const string Decision = "dec";
}
