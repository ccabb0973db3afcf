using Serverless.Functions.LocalHost;
using Serverless.Hosting;

var builder = LocalHostBuilder.CreateBuilder(args);
builder.AddProduct();
var app = builder.Build();
app.UseFunctionsHost();
app.MapProduct();
await app.RunAsync();
