using System.Runtime.CompilerServices;
using CalMiner.Numerics;

using CalMiner.Scenarios;

namespace CalMiner.Model;

// What an iteration pays and earns per unit of each column of the kernel's table.
internal sealed partial class ModelKernel<T>
    where T : unmanaged, ILanes<T>
{
    /// <summary>
    /// What one group of lanes pays and earns per unit of each column of the table, and its life-of-mine totals: the
    /// rates that the period loop multiplies the table by.
    /// </summary>
    private readonly ref struct Rates
    {
        /// <summary>Per product, per contained unit: net smelter return less royalties, and net smelter return × receivable days.</summary>
        public Span<T> Margin { get; init; }

        public Span<T> Receivable { get; init; }

        /// <summary>Per fleets at work (0, 1, ... all), the operating costs of a period that do not scale with tonnes; then 0, for a period that does not operate.</summary>
        public Span<T> FixedCosts { get; init; }

        /// <summary>Per capital rate, its amount × factor.</summary>
        public Span<T> Capital { get; init; }

        public T PerTonneMined { get; init; }

        public T PerTonneWaste { get; init; }

        public T PerTonneProcessed { get; init; }

        /// <summary>Life-of-mine opex, royalties, sustaining capital, by-products' NSR, and the primary product's selling costs and payable units.</summary>
        public T Opex { get; init; }

        public T Royalties { get; init; }

        public T Sustaining { get; init; }

        public T ByProductNsr { get; init; }

        public T PrimarySelling { get; init; }

        public T PrimaryPayable { get; init; }

        /// <summary>Length of the scratch that <see cref="Of"/> needs.</summary>
        public static int Count(int products, int fleets, int capitalRates) => (2 * products) + fleets + 2 + capitalRates;

        /// <summary>The rates of the lanes whose registers are given, the spans in <paramref name="scratch"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Rates Of(KernelTable table, ReadOnlySpan<T> registers, Span<T> scratch)
        {
            var zero = T.Zero;
            var (products, fleets, rates) = (table.Products, table.Fleets, table.CapitalRates);
            var margin = scratch[..products.Length];
            var receivable = scratch.Slice(products.Length, products.Length);
            var fixedCosts = scratch.Slice(2 * products.Length, fleets.Length + 2);
            var capital = scratch.Slice((2 * products.Length) + fleets.Length + 2, rates.Length);

            // Revenue per contained unit: recovered, paid, priced; royalties on NSR or on gross revenue.
            var perContained = registers[table.ThroughputRegister] * registers[table.GradeRegister];
            var receivableFraction = T.Create(table.Plan.ReceivableFraction);
            T royalties = zero, byProductNsr = zero, primarySelling = zero, primaryPayable = zero;
            for (var k = 0; k < products.Length; k++)
            {
                ref readonly var product = ref products[k];
                var paid = perContained * T.Create(product.PayableUnits) * registers[product.RecoveryRegister] * registers[product.PayabilityRegister];
                var gross = paid * registers[product.PriceRegister];
                var selling = paid * registers[product.SellingCostRegister];
                var nsr = gross - selling;
                var royalty = zero;
                foreach (var rate in table.Royalties)
                {
                    royalty += registers[rate.RateRegister] * (rate.OnNsr ? nsr : gross);
                }

                (margin[k], receivable[k]) = (nsr - royalty, nsr * receivableFraction);
                var contained = T.Create(table.TotalContained[k]);
                royalties += contained * royalty;
                if (k == table.Plan.PrimaryIndex)
                {
                    (primarySelling, primaryPayable) = (contained * selling, contained * paid);
                }
                else
                {
                    byProductNsr += contained * nsr;
                }
            }

            // Operating costs per tonne mined (ore scales with throughput, waste does not), per tonne processed, and per
            // operating period; each consumable costs its price and its carbon.
            T mined = registers[table.MiningPerTonneRegister], processed = registers[table.ProcessingPerTonneRegister], perPeriod = registers[table.GeneralAndAdminRegister];
            var carbonPrice = registers[table.CarbonPriceRegister];
            foreach (var consumable in table.Consumables)
            {
                var cost = registers[consumable.RateRegister] * (registers[consumable.PriceRegister] + (T.Create(consumable.Co2eTonnesPerUnit) * carbonPrice));
                switch (consumable.Driver)
                {
                    case ConsumableDriver.TonneMined: mined += cost; break;
                    case ConsumableDriver.TonneProcessed: processed += cost; break;
                    default: perPeriod += cost; break;
                }
            }

            var (factor, throughput) = (registers[table.OperatingCostFactorRegister], registers[table.ThroughputRegister]);
            var perTonneWaste = mined * factor;
            var perTonneMined = perTonneWaste * throughput;
            var perTonneProcessed = processed * factor * throughput;
            fixedCosts[0] = perPeriod * factor;
            for (var f = 0; f < fleets.Length; f++)
            {
                fixedCosts[f + 1] = fixedCosts[f] + (T.Create(fleets[f].Hours) * registers[fleets[f].CostPerHourRegister] * factor);
            }

            fixedCosts[^1] = zero;
            var opex = (T.Create(table.TotalOreMined) * perTonneMined) + (T.Create(table.TotalWaste) * perTonneWaste)
                + (T.Create(table.TotalOreProcessed) * perTonneProcessed);
            for (var n = 0; n < fixedCosts.Length; n++)
            {
                opex += T.Create(table.FixedCostPeriods[n]) * fixedCosts[n];
            }

            var sustaining = zero;
            for (var q = 0; q < rates.Length; q++)
            {
                capital[q] = registers[rates[q].AmountRegister] * registers[rates[q].FactorRegister];
                sustaining += T.Create(table.TotalSustaining[q]) * capital[q];
            }

            return new Rates
            {
                Margin = margin,
                Receivable = receivable,
                FixedCosts = fixedCosts,
                Capital = capital,
                PerTonneMined = perTonneMined,
                PerTonneWaste = perTonneWaste,
                PerTonneProcessed = perTonneProcessed,
                Opex = opex,
                Royalties = royalties,
                Sustaining = sustaining,
                ByProductNsr = byProductNsr,
                PrimarySelling = primarySelling,
                PrimaryPayable = primaryPayable,
            };
        }
    }
}
