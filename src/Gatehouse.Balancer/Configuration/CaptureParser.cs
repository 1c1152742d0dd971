using System.Globalization;
using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.Configuration;

/// <summary>Parses `capture request header NAME len N` and `capture response header NAME len N` in a frontend or listen section.</summary>
internal static class CaptureParser
{
    private const string Expected = "'capture' expects 'request header NAME len N' or 'response header NAME len N'";

    public static void Parse(ConfigLine line, FrontendConfig frontend, ConfigErrors errors)
    {
        if (line.Count > 1 && line[1] == "cookie")
        {
            errors.Add(line.Location, "'capture cookie' is not supported yet");
            return;
        }

        if (line.Count != 6 || line[1] is not ("request" or "response") || line[2] != "header" || line[4] != "len")
        {
            errors.Add(line.Location, $"{Expected}, got '{string.Join(' ', line.Words.Skip(1))}'");
            return;
        }

        if (!int.TryParse(line[5], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length < 1)
        {
            errors.Add(line.Location, $"'capture {line[1]} header' expects a length of 1 or more after 'len', got '{line[5]}'");
            return;
        }

        var captures = line[1] == "request" ? frontend.RequestCaptures : frontend.ResponseCaptures;
        captures.Add(new HeaderCapture(line[3], length));
    }
}
