using Serverless.Functions.Composition;
using Serverless.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.AddProduct();
var app = builder.Build();
app.UseFunctionsHost();
app.MapProduct();
await app.RunAsync();
