namespace MatrixTester.Diagnostics.Client;

/// <summary>One contact from <c>/.well-known/matrix/support</c> (MSC1929): a role with a Matrix ID, an email address or both.</summary>
public sealed record SupportContact(string Role, string? MatrixId, string? EmailAddress);
