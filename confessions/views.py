from django.shortcuts import get_object_or_404, render

from confessions.models import Confession


def detail(request, slug):
    confession = get_object_or_404(Confession.objects.published(), slug=slug)
    return render(request, "confessions/detail.html", {"confession": confession})
