using System.Globalization;
using MaintenancePortal.Domain;

namespace MaintenancePortal.Server.Api;

/// <summary>The API's query parameters, read strictly: a value that is not what it should be is refused, naming the parameter.</summary>
public static class QueryString
{
    /// <summary>An enum by name (any case); a number or a list of names is refused.</summary>
    public static TEnum? Enum<TEnum>(string? text, string field) where TEnum : struct, Enum =>
        text is null ? null
        : StrictEnumConverter.TryParse<TEnum>(text, out var value) ? value
        : throw new InvalidRequestException(field, $"Give one of: {StrictEnumConverter.Names<TEnum>()}.");

    /// <summary>An ISO 8601 time (UTC when it names no offset).</summary>
    public static DateTimeOffset? Time(string? text, string field) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
        : throw new InvalidRequestException(field, "Give an ISO 8601 time, e.g. 2026-11-29T08:00:00Z.");

    /// <summary>A page size: a whole number from 1 to <paramref name="max"/>, or the default when absent.</summary>
    public static int Limit(string? text, int @default, int max) =>
        text is null ? @default
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 && n <= max ? n
        : throw new InvalidRequestException("limit", $"Give a whole number from 1 to {max}.");
}
