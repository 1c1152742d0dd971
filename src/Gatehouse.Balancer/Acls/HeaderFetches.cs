using System.Globalization;

namespace Gatehouse.Balancer.Acls;

/// <summary>
/// `hdr(name)` and `req.hdr(name)`, or `res.hdr(name)` on the response: every comma-separated value of every line
/// of the header, trimmed. As an expression it returns the last value, like HAProxy's default occurrence of -1.
/// </summary>
internal sealed class HeaderFetch : SampleFetch
{
    private readonly string _name;
    private readonly bool _response;

    public HeaderFetch(string name, bool response = false)
    {
        _name = name;
        _response = response;
    }

    public override SampleType Type => SampleType.String;

    public override bool AnyMatch(SampleContext context, PatternMatcher matcher)
    {
        foreach (var line in Headers(context)[_name])
        {
            var rest = line.AsSpan();
            while (true)
            {
                var comma = rest.IndexOf(',');
                var value = (comma < 0 ? rest : rest[..comma]).Trim();
                if (matcher.Match(value))
                {
                    return true;
                }

                if (comma < 0)
                {
                    break;
                }

                rest = rest[(comma + 1)..];
            }
        }

        return false;
    }

    public override string? FetchString(SampleContext context)
    {
        var lines = Headers(context)[_name];
        if (lines.Count == 0 || lines[^1] is not { } last)
        {
            return null;
        }

        var comma = last.LastIndexOf(',');
        return (comma < 0 ? last : last[(comma + 1)..]).Trim();
    }

    private Microsoft.AspNetCore.Http.IHeaderDictionary Headers(SampleContext context) =>
        _response ? context.Http.Response.Headers : context.Http.Request.Headers;
}

/// <summary>`hdr_cnt(name)`: the number of comma-separated values of the header.</summary>
internal sealed class HeaderCountFetch : SampleFetch
{
    private readonly string _name;

    public HeaderCountFetch(string name)
    {
        _name = name;
    }

    public override SampleType Type => SampleType.Integer;

    public override bool AnyMatch(SampleContext context, PatternMatcher matcher) => matcher.MatchInteger(Count(context));

    public override string? FetchString(SampleContext context) => Count(context).ToString(CultureInfo.InvariantCulture);

    private long Count(SampleContext context)
    {
        long count = 0;
        foreach (var line in context.Http.Request.Headers[_name])
        {
            count += line is null ? 0 : line.AsSpan().Count(',') + 1;
        }

        return count;
    }
}

/// <summary>`req.cook(name)`: the value of each cookie of that name in the Cookie header.</summary>
internal sealed class CookieFetch : SampleFetch
{
    private readonly string _name;

    public CookieFetch(string name)
    {
        _name = name;
    }

    public override SampleType Type => SampleType.String;

    public override bool AnyMatch(SampleContext context, PatternMatcher matcher)
    {
        foreach (var line in context.Http.Request.Headers.Cookie)
        {
            foreach (var range in line.AsSpan().Split(';'))
            {
                if (TryValue(line.AsSpan()[range], out var value) && matcher.Match(value))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public override string? FetchString(SampleContext context)
    {
        string? found = null;
        foreach (var line in context.Http.Request.Headers.Cookie)
        {
            foreach (var range in line.AsSpan().Split(';'))
            {
                if (TryValue(line.AsSpan()[range], out var value))
                {
                    found = value.ToString();
                }
            }
        }

        return found;
    }

    private bool TryValue(ReadOnlySpan<char> pair, out ReadOnlySpan<char> value)
    {
        pair = pair.Trim();
        var equals = pair.IndexOf('=');
        value = equals < 0 ? default : pair[(equals + 1)..];
        return equals >= 0 && pair[..equals].SequenceEqual(_name);
    }
}

/// <summary>`url_param(name)`: the value of each query parameter of that name, still percent-encoded.</summary>
internal sealed class UrlParameterFetch : SampleFetch
{
    private readonly string _name;

    public UrlParameterFetch(string name)
    {
        _name = name;
    }

    public override SampleType Type => SampleType.String;

    public override bool AnyMatch(SampleContext context, PatternMatcher matcher)
    {
        var query = context.Query.AsSpan();
        foreach (var range in query.Split('&'))
        {
            if (TryValue(query[range], out var value) && matcher.Match(value))
            {
                return true;
            }
        }

        return false;
    }

    public override string? FetchString(SampleContext context)
    {
        var query = context.Query.AsSpan();
        foreach (var range in query.Split('&'))
        {
            if (TryValue(query[range], out var value))
            {
                return value.ToString();
            }
        }

        return null;
    }

    private bool TryValue(ReadOnlySpan<char> pair, out ReadOnlySpan<char> value)
    {
        var equals = pair.IndexOf('=');
        var name = equals < 0 ? pair : pair[..equals];
        value = equals < 0 ? default : pair[(equals + 1)..];
        return name.SequenceEqual(_name);
    }
}
