using Microsoft.AspNetCore.StaticFiles;

namespace Gatehouse.Edge.Pipeline;

/// <summary>
/// Content types for precompressed variants: <c>site.css.br</c> gets the type of <c>site.css</c>, because
/// the variant is the same resource with a content coding applied.
/// </summary>
internal sealed class StaticVariantContentTypes(StaticEncoding encoding) : IContentTypeProvider
{
    private readonly FileExtensionContentTypeProvider _types = new();

    public bool TryGetContentType(string subpath, out string contentType)
    {
        if (subpath.EndsWith(encoding.FileSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return _types.TryGetContentType(subpath[..^encoding.FileSuffix.Length], out contentType!);
        }

        contentType = string.Empty;
        return false;
    }
}
