namespace Gatehouse.Balancer.Configuration;

/// <summary>Parses `option httpchk`, `http-check send` and `http-check expect`.</summary>
internal sealed class HttpCheckParser
{
    private static readonly string[] Versions = ["HTTP/1.0", "HTTP/1.1"];

    private readonly ConfigErrors _errors;

    public HttpCheckParser(ConfigErrors errors)
    {
        _errors = errors;
    }

    /// <summary>`option httpchk`, `option httpchk URI`, `option httpchk METHOD URI` or `option httpchk METHOD URI VERSION`.</summary>
    public void ParseOption(ConfigLine line, ProxySettings settings)
    {
        var arguments = line.Words.Skip(2).Select(word => word.Text).ToArray();
        var request = HttpCheckRequest.Default;
        switch (arguments.Length)
        {
            case 0:
                break;
            case 1:
                request = request with { Uri = arguments[0] };
                break;
            case 2 or 3:
                request = request with { Method = arguments[0], Uri = arguments[1], Version = arguments.Length == 3 ? arguments[2] : request.Version };
                break;
            default:
                _errors.Add(line.Location, $"'option httpchk' expects at most a method, a URI and a version, got {arguments.Length} arguments");
                return;
        }

        if (CheckRequest(line, "option httpchk", request))
        {
            settings.HttpCheckOption = request;
        }
    }

    public void ParseRule(ConfigLine line, ProxySettings settings)
    {
        var verb = line.Count > 1 ? line[1] : "";
        switch (verb)
        {
            case "send":
                ParseSend(line, settings);
                break;
            case "expect":
                ParseExpect(line, settings);
                break;
            case "connect" or "send-state" or "disable-on-404" or "comment" or "set-var" or "unset-var":
                _errors.Add(line.Location, $"'http-check {verb}' is not supported yet");
                return;
            default:
                _errors.Add(line.Location, $"'http-check' expects 'send' or 'expect', got '{verb}'" + Suggestions.DidYouMean(verb, ["send", "expect"]));
                return;
        }

        settings.HttpCheckRuleLocation ??= line.Location;
    }

    private void ParseSend(ConfigLine line, ProxySettings settings)
    {
        var request = new HttpCheckSend(null, null, null, []);
        var headers = new List<KeyValuePair<string, string>>();
        for (var i = 2; i < line.Count; i++)
        {
            var word = line[i];
            var arity = word == "hdr" ? 2 : 1;
            if (word is not ("meth" or "uri" or "ver" or "hdr"))
            {
                _errors.Add(line.Location, word is "body" or "body-lf" or "uri-lf" or "hdr-lf" or "ver-lf"
                    ? $"'http-check send' argument '{word}' is not supported yet"
                    : $"'http-check send' expects meth, uri, ver or hdr, got '{word}'");
                return;
            }

            if (i + arity >= line.Count)
            {
                _errors.Add(line.Location, word == "hdr"
                    ? "'http-check send' expects a name and a value after 'hdr'"
                    : $"'http-check send' expects a value after '{word}'");
                return;
            }

            request = word switch
            {
                "meth" => request with { Method = line[i + 1] },
                "uri" => request with { Uri = line[i + 1] },
                "ver" => request with { Version = line[i + 1] },
                _ => request,
            };
            if (word == "hdr")
            {
                headers.Add(new KeyValuePair<string, string>(line[i + 1], line[i + 2]));
            }

            i += arity;
        }

        request = request with { Headers = headers };
        if (CheckRequest(line, "http-check send", request.ApplyTo(HttpCheckRequest.Default)))
        {
            settings.HttpCheckSend = request;
        }
    }

    private void ParseExpect(ConfigLine line, ProxySettings settings)
    {
        var index = 2;
        var negate = line.Count > index && line[index] == "!";
        index += negate ? 1 : 0;
        var kindWord = line.Count > index ? line[index] : "";
        HttpCheckExpectKind? kind = kindWord switch
        {
            "status" => HttpCheckExpectKind.Status,
            "rstatus" => HttpCheckExpectKind.StatusRegex,
            "string" => HttpCheckExpectKind.BodyString,
            _ => null,
        };
        if (kind is not { } expectKind)
        {
            _errors.Add(line.Location, kindWord is "rstring" or "hdr" or "fhdr" or "custom"
                ? $"'http-check expect {kindWord}' is not supported yet"
                : $"'http-check expect' expects status, rstatus or string, got '{kindWord}'");
            return;
        }

        if (line.Count != index + 2)
        {
            _errors.Add(line.Location, $"'http-check expect {kindWord}' expects exactly one pattern; quote a pattern that contains spaces");
            return;
        }

        var pattern = line[index + 1];
        if (expectKind == HttpCheckExpectKind.Status && !StatusRanges.TryParse(pattern, out _))
        {
            _errors.Add(line.Location, $"'http-check expect status' expects status codes or ranges such as 200 or 200-399,404, got '{pattern}'");
            return;
        }

        if (expectKind == HttpCheckExpectKind.StatusRegex && !IsValidRegex(pattern))
        {
            _errors.Add(line.Location, $"'http-check expect rstatus' has an invalid regular expression '{pattern}'");
            return;
        }

        settings.HttpCheckExpect = new HttpCheckExpect(expectKind, pattern, negate, line.Location);
    }

    private bool CheckRequest(ConfigLine line, string keyword, HttpCheckRequest request)
    {
        if (!Versions.Contains(request.Version))
        {
            _errors.Add(line.Location, $"'{keyword}' expects version HTTP/1.0 or HTTP/1.1, got '{request.Version}'");
            return false;
        }

        if (!request.Uri.StartsWith('/'))
        {
            _errors.Add(line.Location, $"'{keyword}' expects a URI that starts with '/', got '{request.Uri}'");
            return false;
        }

        if (request.Method.Length == 0 || !request.Method.All(char.IsAsciiLetterUpper))
        {
            _errors.Add(line.Location, $"'{keyword}' expects an upper-case method such as GET, got '{request.Method}'");
            return false;
        }

        return true;
    }

    private static bool IsValidRegex(string pattern)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
