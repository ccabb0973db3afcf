using Microsoft.Extensions.Hosting;
using Serverless.Functions.Composition;

await FunctionAppBuilder.Create(args).Build().RunAsync();
