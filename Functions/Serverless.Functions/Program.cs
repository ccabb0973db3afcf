using Serverless.Functions.Composition;
using Serverless.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
var app = builder.Build();
app.UseFunctionsHost();
await app.RunAsync();
