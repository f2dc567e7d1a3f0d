import time

from django.core.management.base import BaseCommand, CommandError

from operations import scale


class Command(BaseCommand):
    help = (
        "Synthetic plans shaped like Resolution No. 609 (7 sections, 36 measures each), 200 "
        "synthetic agencies, three cycles a plan with reports in every state, and a draft "
        "summary of each plan's 2019 cycle — for load tests. Plan and agency codes start with "
        "'scale-'; the fixture plan is untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plans", type=int, default=100, help="Copies of the plan (100).")
        parser.add_argument(
            "--one-plan",
            action="store_true",
            help="Put all the copies into one plan 'scale-all' (N×36 measures, one big summary).",
        )
        parser.add_argument(
            "--replace", action="store_true", help="Delete earlier synthetic data first."
        )
        parser.add_argument("--seed", type=int, default=609, help="Random seed (609).")

    def handle(self, *args, plans, one_plan, replace, seed, **options):
        if plans < 1:
            raise CommandError("--plans must be at least 1.")
        started = time.monotonic()
        if scale.scale_data_exists():
            if not replace:
                raise CommandError(
                    "Synthetic data ('scale-' plans or agencies) is already there; "
                    "run with --replace to delete it and generate it again."
                )
            scale.scale_data_delete()
            self.stdout.write(
                f"Deleted earlier synthetic data in {time.monotonic() - started:.1f} s."
            )
        started = time.monotonic()
        counts = scale.scale_data_generate(plans=plans, one_plan=one_plan, seed=seed)
        elapsed = time.monotonic() - started
        states = ", ".join(f"{state} {n}" for state, n in sorted(counts.states.items()))
        self.stdout.write(
            f"Plans {counts.plans}, agencies {counts.agencies}, sections {counts.sections}, "
            f"measures {counts.measures}, responsibilities {counts.responsibilities}, "
            f"cycles {counts.cycles}, reports {counts.reports} ({states}), "
            f"entries {counts.entries}, indicators {counts.indicators}, "
            f"figures {counts.indicator_values}, summaries {counts.summaries} "
            f"with {counts.summary_items} items."
        )
        self.stdout.write(self.style.SUCCESS(f"Generated in {elapsed:.1f} s."))
