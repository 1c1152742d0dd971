using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;

namespace Gatehouse.DevStack.Identity;

/// <summary>
/// The authorization endpoint's page. A GET shows the demo accounts. The form POSTs the original authorization
/// parameters back with the chosen account in <see cref="UserField"/>, and OpenIddict then redirects to the client
/// with a code. DEVELOPMENT ONLY: choosing an account needs no password.
/// </summary>
internal sealed class SignInPage(DevPrincipalFactory principals, ILogger logger)
{
    /// <summary>
    /// Form field naming the chosen demo account.
    /// </summary>
    public const string UserField = "dev_user";

    // NOTE: the form carries no anti-forgery token, so another local page could sign a browser in as a demo user.
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict authorization request is missing.");

        if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var user = DevUser.Find(form[UserField].ToString());
            if (user is not null)
            {
                var principal = principals.Create(user, request.GetScopes());
                await context.SignInAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, principal);
                DevStackLog.SignInPageCompleted(logger, user.Name, request.ClientId);
                return;
            }
        }

        await WritePageAsync(context, request);
    }

    private static async Task WritePageAsync(HttpContext context, OpenIddictRequest request)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; form-action 'self'; frame-ancestors 'none'";
        await context.Response.WriteAsync(Render(request, context.Request.Path), context.RequestAborted);
    }

    /// <summary>
    /// Renders the page. Every authorization parameter goes into a hidden field so the POST repeats the request.
    /// </summary>
    internal static string Render(OpenIddictRequest request, PathString action)
    {
        var html = HtmlEncoder.Default;
        var page = new StringBuilder();
        page.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Gatehouse dev issuer</title></head><body>");
        page.Append("<h1>Gatehouse dev issuer</h1>");
        page.Append("<p>Development only: pick a demo account. No password is asked.</p>");
        page.Append("<form method=\"post\" action=\"").Append(html.Encode(action.Value ?? "/")).Append("\">");
        foreach (var (name, value) in request.GetParameters())
        {
            if (name == UserField || value.ToString() is not { } text)
            {
                continue;
            }

            page.Append("<input type=\"hidden\" name=\"").Append(html.Encode(name))
                .Append("\" value=\"").Append(html.Encode(text)).Append("\">");
        }

        foreach (var user in DevUser.All)
        {
            var groups = user.Groups.Count == 0 ? "no groups" : string.Join(", ", user.Groups);
            page.Append("<p><button type=\"submit\" name=\"").Append(UserField).Append("\" value=\"")
                .Append(html.Encode(user.Name)).Append("\">").Append(html.Encode(user.Name)).Append("</button> ")
                .Append(html.Encode(groups)).Append("</p>");
        }

        page.Append("</form></body></html>");
        return page.ToString();
    }
}
