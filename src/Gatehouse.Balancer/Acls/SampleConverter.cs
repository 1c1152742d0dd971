using System.Globalization;
using System.Net;

namespace Gatehouse.Balancer.Acls;

/// <summary>A converter after a sample fetch, such as `lower` or `map_beg(FILE)`.</summary>
internal abstract class SampleConverter
{
    /// <summary>Returns the converted value, or null when the converter produces none.</summary>
    public abstract string? Convert(string value);

    /// <summary>Wraps an ACL matcher so that it receives the converted values.</summary>
    public virtual PatternMatcher Wrap(PatternMatcher inner) => new ConvertingMatcher(inner, this);
}

/// <summary>`lower` and `upper`.</summary>
internal sealed class CaseConverter(bool upper) : SampleConverter
{
    public override string? Convert(string value) => upper ? value.ToUpperInvariant() : value.ToLowerInvariant();

    // Numbers and addresses have no case, so they reach the matcher in their own type.
    public override PatternMatcher Wrap(PatternMatcher inner) => new CaseConvertingMatcher(inner, upper);
}

/// <summary>Hands each value to a converter as text, then its result to the inner matcher; no result matches nothing.</summary>
internal sealed class ConvertingMatcher(PatternMatcher inner, SampleConverter converter) : PatternMatcher
{
    public override bool Match(ReadOnlySpan<char> value) => converter.Convert(value.ToString()) is { } converted && inner.Match(converted);

    public override bool MatchInteger(long value) => Match(value.ToString(CultureInfo.InvariantCulture));

    public override bool MatchAddress(IPAddress value) => Match(SourceFetch.Format(value));
}
