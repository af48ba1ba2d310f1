using CalMiner.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddCalMinerWeb();

var app = builder.Build();
app.UseCalMinerWeb();
await app.RunAsync().ConfigureAwait(false);

/// <summary>The web host's entry point; public so that tests can start it with WebApplicationFactory.</summary>
public partial class Program;
