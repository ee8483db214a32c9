namespace MatrixTester.Web.Pages;

public sealed record CheckFormModel(string? Value, int MaxLength, string? Error = null);
