using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Rules;

/// <summary>set-header replaces every line of the header, add-header appends one, del-header removes all.</summary>
internal enum HeaderOperation
{
    Set,
    Add,
    Delete,
}

internal static class HeaderOperationExtensions
{
    public static void Apply(this HeaderOperation operation, IHeaderDictionary headers, string name, string? value)
    {
        switch (operation)
        {
            case HeaderOperation.Set:
                headers[name] = value;
                break;
            case HeaderOperation.Add:
                headers.Append(name, value);
                break;
            default:
                headers.Remove(name);
                break;
        }
    }
}

/// <summary>An `http-response set-header|add-header|del-header` rule. Its condition is evaluated against the request's samples.</summary>
internal sealed class ResponseHeaderRule : HttpRule
{
    public required HeaderOperation Operation { get; init; }

    public required string HeaderName { get; init; }

    public LogFormat? Value { get; init; }

    public void Execute(Acls.SampleContext context, IHeaderDictionary responseHeaders) =>
        Operation.Apply(responseHeaders, HeaderName, Value?.Render(context));
}
