using Gatehouse.Trust.Assertions;

namespace Gatehouse.Trust.Tests.Assertions;

/// <summary>Wraps a JWKS source, counting fetches; can be switched to fail like an unreachable edge.</summary>
internal sealed class CountingJwksSource(IJwksSource inner) : IJwksSource
{
    private int _fetches;

    public int Fetches => Volatile.Read(ref _fetches);

    public bool Fail { get; set; }

    public ValueTask<string> GetJwksJsonAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetches);
        if (Fail)
        {
            throw new HttpRequestException("JWKS source is down (test)");
        }

        return inner.GetJwksJsonAsync(cancellationToken);
    }
}
