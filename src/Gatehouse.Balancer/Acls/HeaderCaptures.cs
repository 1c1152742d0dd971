using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Acls;

/// <summary>One `capture request header NAME len N` or `capture response header NAME len N` line.</summary>
internal sealed record HeaderCapture(string Name, int Length);

/// <summary>
/// The header values one request captured, in the order of the frontend's `capture` lines. As in HAProxy, the
/// last line of a repeated header is kept whole, cut to the capture's length; a header that is absent stays null.
/// </summary>
internal sealed class HeaderCaptures
{
    private readonly List<HeaderCapture> _requestSpecs;
    private readonly List<HeaderCapture> _responseSpecs;

    public HeaderCaptures(List<HeaderCapture> requestSpecs, List<HeaderCapture> responseSpecs)
    {
        _requestSpecs = requestSpecs;
        _responseSpecs = responseSpecs;
        Request = new string?[requestSpecs.Count];
        Response = new string?[responseSpecs.Count];
    }

    public string?[] Request { get; }

    public string?[] Response { get; }

    public void CaptureRequest(IHeaderDictionary headers) => Capture(_requestSpecs, headers, Request);

    public void CaptureResponse(IHeaderDictionary headers) => Capture(_responseSpecs, headers, Response);

    private static void Capture(List<HeaderCapture> specs, IHeaderDictionary headers, string?[] values)
    {
        for (var i = 0; i < specs.Count; i++)
        {
            var lines = headers[specs[i].Name];
            if (lines.Count == 0)
            {
                continue;
            }

            var value = lines[lines.Count - 1] ?? "";
            values[i] = value.Length > specs[i].Length ? value[..specs[i].Length] : value;
        }
    }
}

/// <summary>`capture.req.hdr(N)` and `capture.res.hdr(N)`: the value the Nth capture line of that direction stored.</summary>
internal sealed class CaptureFetch : SampleFetch
{
    private readonly bool _response;
    private readonly int _index;

    public CaptureFetch(bool response, string index)
    {
        _response = response;
        _index = int.TryParse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : -1;
    }

    public override SampleType Type => SampleType.String;

    public override bool AnyMatch(SampleContext context, PatternMatcher matcher) =>
        FetchString(context) is { } value && matcher.Match(value);

    public override string? FetchString(SampleContext context)
    {
        if (context.Captures is not { } captures)
        {
            return null;
        }

        var values = _response ? captures.Response : captures.Request;
        return _index >= 0 && _index < values.Length ? values[_index] : null;
    }
}
