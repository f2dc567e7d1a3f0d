def home(request):
    raise NotImplementedError


def plan_list(request):
    raise NotImplementedError


def plan_detail(request, code):
    raise NotImplementedError


def measure_detail(request, code, number):
    raise NotImplementedError
