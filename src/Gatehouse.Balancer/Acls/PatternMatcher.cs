using System.Globalization;
using System.Net;

namespace Gatehouse.Balancer.Acls;

/// <summary>
/// Compiled ACL patterns. A fetch hands each of its values to the matcher in the fetch's own type, so
/// strings are matched as spans and numbers and addresses are not formatted unless the method needs text.
/// </summary>
internal abstract class PatternMatcher
{
    public abstract bool Match(ReadOnlySpan<char> value);

    public virtual bool MatchInteger(long value)
    {
        Span<char> buffer = stackalloc char[24];
        return value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture)
            && Match(buffer[..written]);
    }

    public virtual bool MatchAddress(IPAddress value)
    {
        Span<char> buffer = stackalloc char[64];
        return value.TryFormat(buffer, out var written) && Match(buffer[..written]);
    }
}

/// <summary>`-m found`: true for any value the fetch returns.</summary>
internal sealed class FoundMatcher : PatternMatcher
{
    public static readonly FoundMatcher Instance = new();

    public override bool Match(ReadOnlySpan<char> value) => true;

    public override bool MatchInteger(long value) => true;

    public override bool MatchAddress(IPAddress value) => true;
}

/// <summary>`-m bool`: true when the value is a non-zero number.</summary>
internal sealed class BooleanMatcher : PatternMatcher
{
    public static readonly BooleanMatcher Instance = new();

    public override bool Match(ReadOnlySpan<char> value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number != 0;

    public override bool MatchInteger(long value) => value != 0;
}

/// <summary>Applies the `lower` or `upper` converter before the inner matcher sees a string value.</summary>
internal sealed class CaseConvertingMatcher : PatternMatcher
{
    private const int StackLimit = 256;
    private readonly PatternMatcher _inner;
    private readonly bool _upper;

    public CaseConvertingMatcher(PatternMatcher inner, bool upper)
    {
        _inner = inner;
        _upper = upper;
    }

    public override bool Match(ReadOnlySpan<char> value)
    {
        var buffer = value.Length <= StackLimit ? stackalloc char[value.Length] : new char[value.Length];
        if (_upper)
        {
            value.ToUpperInvariant(buffer);
        }
        else
        {
            value.ToLowerInvariant(buffer);
        }

        return _inner.Match(buffer);
    }

    public override bool MatchInteger(long value) => _inner.MatchInteger(value);

    public override bool MatchAddress(IPAddress value) => _inner.MatchAddress(value);
}
