namespace Gatehouse.Trust.Keys;

/// <summary>
/// A key directory that cannot be used as it is, or a key operation that is not allowed. The message names
/// the path or key id and the fix.
/// </summary>
public sealed class KeyRingException : Exception
{
    public KeyRingException(string message)
        : base(message)
    {
    }

    public KeyRingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
