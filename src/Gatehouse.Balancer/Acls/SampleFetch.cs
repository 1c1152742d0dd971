using System.Net;

namespace Gatehouse.Balancer.Acls;

/// <summary>The type of the values a sample fetch returns.</summary>
internal enum SampleType
{
    String,
    Integer,
    Boolean,
    Address,
}

/// <summary>
/// A compiled sample fetch such as `path` or `hdr(host)`. ACLs call <see cref="AnyMatch"/>, which stops at
/// the first matching value; log-format expressions and `set-src` call <see cref="FetchString"/>.
/// </summary>
internal abstract class SampleFetch
{
    public abstract SampleType Type { get; }

    /// <summary>Returns true when any value of the fetch satisfies <paramref name="matcher"/>; false when there is no value.</summary>
    public abstract bool AnyMatch(SampleContext context, PatternMatcher matcher);

    /// <summary>Returns the value as text (the last one for multi-valued fetches), or null when there is none.</summary>
    public abstract string? FetchString(SampleContext context);
}

/// <summary>A fetch with at most one string value, read by a static delegate.</summary>
internal sealed class StringFetch : SampleFetch
{
    private readonly Func<SampleContext, string?> _read;

    public StringFetch(Func<SampleContext, string?> read)
    {
        _read = read;
    }

    public override SampleType Type => SampleType.String;

    public override bool AnyMatch(SampleContext context, PatternMatcher matcher) =>
        _read(context) is { } value && matcher.Match(value);

    public override string? FetchString(SampleContext context) => _read(context);
}

/// <summary>A fetch with one boolean value, passed to matchers as 1 or 0.</summary>
internal sealed class BooleanFetch : SampleFetch
{
    private readonly Func<SampleContext, bool> _read;

    public BooleanFetch(Func<SampleContext, bool> read)
    {
        _read = read;
    }

    public override SampleType Type => SampleType.Boolean;

    public override bool AnyMatch(SampleContext context, PatternMatcher matcher) => matcher.MatchInteger(_read(context) ? 1 : 0);

    public override string? FetchString(SampleContext context) => _read(context) ? "1" : "0";
}

/// <summary>A fetch with one integer value, such as `dst_port`.</summary>
internal sealed class IntegerFetch : SampleFetch
{
    private readonly Func<SampleContext, long?> _read;

    public IntegerFetch(Func<SampleContext, long?> read)
    {
        _read = read;
    }

    public override SampleType Type => SampleType.Integer;

    public override bool AnyMatch(SampleContext context, PatternMatcher matcher) =>
        _read(context) is { } value && matcher.MatchInteger(value);

    public override string? FetchString(SampleContext context) =>
        _read(context)?.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>`src`: the client address, after any `http-request set-src`.</summary>
internal sealed class SourceFetch : SampleFetch
{
    public override SampleType Type => SampleType.Address;

    public override bool AnyMatch(SampleContext context, PatternMatcher matcher) =>
        context.Source is { } source && matcher.MatchAddress(source);

    public override string? FetchString(SampleContext context) => context.Source is { } source ? Format(source) : null;

    public static string Format(IPAddress address) =>
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
