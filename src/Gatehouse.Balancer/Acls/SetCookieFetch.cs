namespace Gatehouse.Balancer.Acls;

/// <summary>
/// `res.cook(name)` and `scook(name)`: the value of each cookie of that name that the response sets, one cookie
/// per Set-Cookie line, without its attributes. As an expression it returns the first one, as HAProxy does.
/// </summary>
internal sealed class SetCookieFetch : SampleFetch
{
    private readonly string _name;

    public SetCookieFetch(string name)
    {
        _name = name;
    }

    public override SampleType Type => SampleType.String;

    public override bool AnyMatch(SampleContext context, PatternMatcher matcher)
    {
        foreach (var line in context.Http.Response.Headers.SetCookie)
        {
            if (TryValue(line, out var value) && matcher.Match(value))
            {
                return true;
            }
        }

        return false;
    }

    public override string? FetchString(SampleContext context)
    {
        foreach (var line in context.Http.Response.Headers.SetCookie)
        {
            if (TryValue(line, out var value))
            {
                return value.ToString();
            }
        }

        return null;
    }

    private bool TryValue(string? line, out ReadOnlySpan<char> value)
    {
        var pair = line.AsSpan();
        var semicolon = pair.IndexOf(';');
        pair = (semicolon < 0 ? pair : pair[..semicolon]).Trim();
        var equals = pair.IndexOf('=');
        value = equals < 0 ? default : pair[(equals + 1)..].Trim();
        return equals >= 0 && pair[..equals].Trim().SequenceEqual(_name);
    }
}
