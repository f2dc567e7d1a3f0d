"""The public pages: what the Government was told, per plan, for anyone, signed in or not."""

from django.shortcuts import get_object_or_404, render

from publication import selectors


def public_plan_list(request):
    return render(
        request, "publication/plan_list.html", {"plans": list(selectors.published_plans())}
    )


def public_plan_detail(request, code):
    plan = get_object_or_404(selectors.published_plans(), code=code)
    return render(
        request,
        "publication/plan_detail.html",
        {"plan": plan, "publication": selectors.plan_publication(plan=plan)},
    )
